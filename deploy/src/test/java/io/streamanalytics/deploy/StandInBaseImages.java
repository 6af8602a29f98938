package io.streamanalytics.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Stand-ins for the Dockerfiles' pinned base images (JDK_IMAGE, JRE_IMAGE), made from Debian packages where no
 * container registry is reachable: a minimal Debian with OpenJDK 17 by debootstrap, imported into podman. The JDK
 * one, the Maven build stage's, also trusts the host's extra CA certificates (Java's cacerts included): a machine
 * whose egress goes through a TLS-intercepting proxy fails every Maven Central download otherwise.
 */
final class StandInBaseImages {

    static final String JRE = "localhost/streaming-analytics-test/debian-jre:17";
    static final String JDK = "localhost/streaming-analytics-test/debian-jdk:17";

    /** The suite of the machines' own Debian (bookworm), whose mirror they reach. */
    private static final String SUITE = "bookworm";

    private static final Path HOST_CA_CERTIFICATES = Path.of("/usr/local/share/ca-certificates");
    private static final Duration DEBOOTSTRAP_TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern DEB822_URI = Pattern.compile("(?m)^URIs:\\s*(\\S+)");
    private static final Pattern ONE_LINE_URI =
            Pattern.compile("(?m)^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+" + SUITE + "\\s");

    private StandInBaseImages() {}

    /** Null where both images exist or can be made here; else why not. */
    static String whyNotAvailable() {
        if (Podman.imageExists(JRE) && Podman.imageExists(JDK)) {
            return null;
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/debootstrap"))) {
            return "debootstrap is not installed (apt-get install debootstrap), and the base images " + JRE + " and "
                    + JDK + " are not there";
        }
        if (!"0"
                .equals(Podman.run(Duration.ofSeconds(10), List.of("id", "-u"), null)
                        .output()
                        .strip())) {
            return "debootstrap needs root, and the base images " + JRE + " and " + JDK + " are not there";
        }
        return null;
    }

    /**
     * Makes whichever of the two images is missing. An image already there is reused: on a CI machine (fresh) both
     * are made every run; on a developer's machine, a second run skips the minute this takes.
     */
    static void ensure(Path logDir) {
        CompletableFuture<Void> jre = CompletableFuture.runAsync(() -> {
            if (!Podman.imageExists(JRE)) {
                importRootfs(JRE, "openjdk-17-jre-headless", logDir);
            }
        });
        CompletableFuture<Void> jdk = CompletableFuture.runAsync(() -> {
            if (!Podman.imageExists(JDK)) {
                String plain = JDK + "-without-host-ca";
                importRootfs(plain, "openjdk-17-jdk-headless", logDir);
                trustHostCertificates(plain, JDK, logDir);
            }
        });
        try {
            CompletableFuture.allOf(jre, jdk).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static void importRootfs(String image, String javaPackage, Path logDir) {
        String name = image.substring(image.lastIndexOf('/') + 1).replace(':', '-');
        Path work = tempDir("debootstrap-" + name);
        Path rootfs = work.resolve("rootfs");
        Path tarball = work.resolve("rootfs.tar");
        try {
            // minbase: the required packages (bash, passwd's useradd and groupadd, which the Dockerfiles run).
            Podman.runLogged(
                    DEBOOTSTRAP_TIMEOUT,
                    List.of(
                            "debootstrap",
                            "--variant=minbase",
                            "--include=" + javaPackage,
                            SUITE,
                            rootfs.toString(),
                            mirror()),
                    logDir.resolve("debootstrap-" + name + ".log"));
            Podman.runLogged(
                    Duration.ofMinutes(5),
                    List.of("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), "."),
                    logDir.resolve("tar-" + name + ".log"));
            Podman.podmanOrFail(Duration.ofMinutes(5), "import", tarball.toString(), image);
        } finally {
            Podman.run(Duration.ofMinutes(2), List.of("rm", "-rf", work.toString()), null);
        }
    }

    /** The host's extra CA certificates, added as update-ca-certificates adds them (its Java hook fills cacerts). */
    private static void trustHostCertificates(String from, String image, Path logDir) {
        Path context = tempDir("base-ca");
        try {
            Path certs = Files.createDirectories(context.resolve("certs"));
            if (Files.isDirectory(HOST_CA_CERTIFICATES)) {
                try (Stream<Path> files = Files.list(HOST_CA_CERTIFICATES)) {
                    for (Path crt :
                            files.filter(f -> f.toString().endsWith(".crt")).toList()) {
                        Files.copy(crt, certs.resolve(crt.getFileName()));
                    }
                }
            }
            Files.writeString(
                    context.resolve("Containerfile"),
                    "FROM " + from + "\n"
                            + "COPY certs/ /usr/local/share/ca-certificates/\n"
                            + "RUN update-ca-certificates\n");
            Podman.runLogged(
                    Duration.ofMinutes(5),
                    concat(Podman.PODMAN, List.of("build", "--pull=never", "--tag", image, context.toString())),
                    logDir.resolve("build-jdk-base.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Podman.run(Duration.ofMinutes(1), List.of("rm", "-rf", context.toString()), null);
        }
    }

    /** The Debian mirror this machine's apt uses (deb822 or one-line sources), else Debian's own. */
    static String mirror() {
        for (Path sources :
                List.of(Path.of("/etc/apt/sources.list.d/debian.sources"), Path.of("/etc/apt/sources.list"))) {
            try {
                String text = Files.isRegularFile(sources) ? Files.readString(sources) : "";
                Matcher m = (sources.toString().endsWith(".sources") ? DEB822_URI : ONE_LINE_URI).matcher(text);
                if (m.find()) {
                    return m.group(1);
                }
            } catch (IOException e) {
                // An unreadable list is no list.
            }
        }
        return "http://deb.debian.org/debian";
    }

    private static Path tempDir(String prefix) {
        try {
            // Not /tmp, often a small tmpfs: a root filesystem with a JDK is ~600 MB, and its tarball as much again.
            return Files.createTempDirectory(Files.createDirectories(Path.of("/var/tmp")), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
