package io.streamanalytics.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Podman's command line, as it works on these machines (docs/deployment.md): every command with the runc runtime
 * (the default crun fails on their hybrid cgroups), and every command bounded in time.
 */
final class Podman {

    static final List<String> PODMAN = List.of("podman", "--runtime", "runc");

    /** What a command printed (standard output and error together) and its exit code. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Podman() {}

    static Result podman(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>(PODMAN);
        command.addAll(args);
        return run(timeout, command, null);
    }

    static Result podman(Duration timeout, String... args) {
        return podman(timeout, List.of(args));
    }

    /** A podman command that must succeed; fails with what it printed. */
    static String podmanOrFail(Duration timeout, String... args) {
        Result result = podman(timeout, args);
        if (!result.ok()) {
            throw new AssertionError(
                    "podman " + String.join(" ", args) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output().strip();
    }

    /**
     * Runs a command that may print a lot (an image build) into a log file, kept for reading when something fails;
     * fails with the log's tail if the command does not succeed within the timeout.
     */
    static void runLogged(Duration timeout, List<String> command, Path log) {
        Result result = run(timeout, command, log);
        if (!result.ok()) {
            List<String> lines = result.output().lines().toList();
            throw new AssertionError(String.join(" ", command) + " exited with " + result.exitCode() + " (log: " + log
                    + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
    }

    static boolean imageExists(String image) {
        return podman(Duration.ofSeconds(30), "image", "exists", image).ok();
    }

    /** Null where podman is installed and answers; else why not. */
    static String whyNotInstalled() {
        Result info;
        try {
            info = podman(Duration.ofSeconds(60), "info", "--format", "{{.Host.OCIRuntime.Name}}");
        } catch (UncheckedIOException e) {
            return "podman is not installed (" + e.getCause().getMessage() + ")";
        }
        return info.ok()
                ? null
                : "podman --runtime runc info fails: " + info.output().strip();
    }

    /** Runs a command to its end or the timeout (then kills it: a timeout is an exit code of -1). */
    static Result run(Duration timeout, List<String> command, Path log) {
        try {
            Path output = log != null ? log : Files.createTempFile("podman-", ".out");
            try {
                Files.createDirectories(output.toAbsolutePath().getParent());
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                // Not Files.readString: a build log may hold bytes that are not UTF-8.
                String printed = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
                return new Result(
                        ended ? process.exitValue() : -1,
                        ended ? printed : printed + "\n(killed after " + timeout.toSeconds() + " s)");
            } finally {
                if (log == null) {
                    Files.deleteIfExists(output);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
