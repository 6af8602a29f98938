package io.streamanalytics.analytics.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JavaPermissionsLocalFileSystemTest {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    @TempDir
    Path dir;

    /** Hadoop's own local file system beside this one: the modes must be the same. */
    @ParameterizedTest
    @ValueSource(classes = {LocalFileSystem.class, JavaPermissionsLocalFileSystem.class})
    void shouldGiveFilesAndDirectoriesTheModesOfTheUmaskAndOfSetPermission(Class<? extends LocalFileSystem> impl)
            throws IOException {
        org.apache.hadoop.fs.Path file =
                new org.apache.hadoop.fs.Path(dir.resolve("a/b/file").toUri());
        try (FileSystem fs = fileSystem(impl)) {
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(1);
            }

            assertThat(mode(dir.resolve("a"))).isEqualTo("rwxr-x---");
            assertThat(mode(dir.resolve("a/b"))).isEqualTo("rwxr-x---");
            assertThat(mode(dir.resolve("a/b/file"))).isEqualTo("rw-r-----");
            assertThat(mode(dir.resolve("a/b/.file.crc")))
                    .as("Hadoop's checksum file")
                    .isEqualTo("rw-r-----");

            fs.setPermission(file, new FsPermission((short) 0604));
            assertThat(mode(dir.resolve("a/b/file"))).isEqualTo("rw----r--");
        }
    }

    @Test
    void shouldCreateFilesWithoutStartingAProcessWhereHadoopStartsOnePerPermission() throws IOException {
        assumeTrue(Files.isReadable(PROC_STAT), "counts the processes the kernel started, from Linux's /proc/stat");
        int files = 100;

        long hadoops = processesStartedWhileCreating(LocalFileSystem.class, files);
        long ours = processesStartedWhileCreating(JavaPermissionsLocalFileSystem.class, files);

        // A machine-wide count: other programs may start a few processes meanwhile, never a hundred.
        assertThat(hadoops)
                .as("Hadoop's own: chmod twice per file and twice per checksum file")
                .isGreaterThanOrEqualTo(2L * files);
        assertThat(ours).isLessThan(files / 2);
    }

    /** A file system for {@code file:} URIs of the given class, not the JVM-wide cached one, umask 027. */
    private static FileSystem fileSystem(Class<? extends LocalFileSystem> impl) throws IOException {
        Configuration conf = new Configuration(false);
        conf.setClass("fs.file.impl", impl, FileSystem.class);
        conf.set("fs.permissions.umask-mode", "027");
        FileSystem fs = FileSystem.newInstance(java.net.URI.create("file:///"), conf);
        assertThat(fs).isInstanceOf(impl);
        return fs;
    }

    private long processesStartedWhileCreating(Class<? extends LocalFileSystem> impl, int files) throws IOException {
        try (FileSystem fs = fileSystem(impl)) {
            long before = processesStarted();
            for (int i = 0; i < files; i++) {
                Path file = dir.resolve(impl.getSimpleName()).resolve(Integer.toString(i));
                try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(file.toUri()))) {
                    out.write(i);
                }
            }
            return processesStarted() - before;
        }
    }

    /** The kernel's count of processes started since boot. */
    private static long processesStarted() throws IOException {
        return Files.readAllLines(PROC_STAT).stream()
                .filter(l -> l.startsWith("processes "))
                .mapToLong(
                        l -> Long.parseLong(l.substring("processes ".length()).trim()))
                .findFirst()
                .orElseThrow();
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
