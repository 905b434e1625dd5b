package dev.resilience.backup.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Modes for everything that holds data or secrets: files 0600, folders 0700, on POSIX systems (elsewhere
 * the platform's defaults). One place so that the store, the audit log, the work folder and exports agree.
 */
public final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private OwnerOnly() {
    }

    /** The attribute for a new file readable and writable by its owner only. */
    public static FileAttribute<?>[] file() {
        return mode("rw-------");
    }

    /** The attribute for a new folder accessible by its owner only. */
    public static FileAttribute<?>[] directory() {
        return mode("rwx------");
    }

    /** Creates {@code dir} and its missing parents, each new one with mode 0700; an existing folder is left as it is. */
    public static void createDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, directory());
        }
    }

    /** Sets mode 0700 on an existing folder of this library's own. */
    public static void restrictDirectory(Path dir) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static FileAttribute<?>[] mode(String mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }
}
