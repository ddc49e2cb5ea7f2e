package dev.tandem.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories that only Tandem's user may read: what Tandem creates gets 700
 * (directories) and 600 (files); what existed before keeps the modes its operator chose, and a
 * start warns when they let others read. Files SQLite creates beside a database ({@code -wal},
 * {@code -shm}) take the database file's mode, so creating that file first with 600 covers them.
 * On a file system without POSIX permissions nothing is set or checked.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents) as 700 when it is missing; warns when an existing one is open to others. */
    public static void directory(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                warnIfOpen(dir);
                return;
            }
            Files.createDirectories(dir);
            restrict(dir, DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates {@code file} empty with 600 when it is missing (an empty file is a new SQLite
     * database); warns when an existing one is open to others. True when it was created now.
     */
    public static boolean file(Path file) {
        try {
            Files.createFile(file);
            restrict(file, FILE);
            return true;
        } catch (FileAlreadyExistsException e) {
            warnIfOpen(file);
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets 600 on a file Tandem just wrote (such as a new key file before it is moved in place). */
    public static void restrictFile(Path file) {
        try {
            restrict(file, FILE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make " + file + " private: " + e.getMessage(), e);
        }
    }

    /** Logs a warning when {@code path} exists and its group or others may use it; their modes are the operator's to change. */
    public static void warnIfOpen(Path path) {
        try {
            if (!Files.exists(path)) {
                return;
            }
            Set<PosixFilePermission> modes = Files.getPosixFilePermissions(path);
            if (modes.stream().anyMatch(OTHERS::contains)) {
                String wanted = Files.isDirectory(path) ? "700" : "600";
                log.atWarn()
                        .addKeyValue("path", path)
                        .addKeyValue("mode", PosixFilePermissions.toString(modes))
                        .log(
                                "{} can be read by other users than Tandem's; it holds personal data or keys: chmod {} {}",
                                path,
                                wanted,
                                path);
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access control applies
        } catch (IOException e) {
            log.atWarn().addKeyValue("path", path).log("cannot read the permissions of {}: {}", path, e.getMessage());
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> modes) throws IOException {
        try {
            Files.setPosixFilePermissions(path, modes);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access control applies
        }
    }
}
