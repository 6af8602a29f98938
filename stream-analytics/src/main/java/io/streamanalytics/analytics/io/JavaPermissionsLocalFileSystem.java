package io.streamanalytics.analytics.io;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's local file system ({@code file:}), except that it sets a file's permission through java.nio instead of
 * starting a {@code chmod} process. Hadoop does the latter whenever its native library is missing, which it is
 * in every Maven-built Spark application: for every file it creates, so for every checkpoint log entry, state
 * store file and their checksum files, of every micro-batch of every query: four processes per file, a steady
 * stream of forks that costs system time and delays every commit. Everything else is Hadoop's own code.
 *
 * <p>Installed as {@code fs.file.impl} by {@code SparkSessions} unless one is configured.
 */
public final class JavaPermissionsLocalFileSystem extends LocalFileSystem {

    public JavaPermissionsLocalFileSystem() {
        super(new Raw());
    }

    static final class Raw extends RawLocalFileSystem {

        /** java.nio has no sticky bit, and without POSIX attributes (Windows) Hadoop's own way is the only one. */
        private static final boolean POSIX =
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (!POSIX || permission.getStickyBit() || NativeIO.isAvailable()) {
                super.setPermission(path, permission);
                return;
            }
            // Not permission.toString(): the FsCreateModes that create() passes print both their masked and
            // unmasked modes.
            String symbolic = permission.getUserAction().SYMBOL
                    + permission.getGroupAction().SYMBOL
                    + permission.getOtherAction().SYMBOL;
            Files.setPosixFilePermissions(pathToFile(path).toPath(), PosixFilePermissions.fromString(symbolic));
        }
    }
}
