package dev.resilience.backup;

import java.util.Objects;

/**
 * One file of a backup in its store, with the size and SHA-256 of the bytes as stored (after
 * encryption, when encryption is on), so a checksum can be checked without the key.
 *
 * @param kind      what the file holds
 * @param name      its name in the store
 * @param sizeBytes its size as stored
 * @param sha256    the lower-case hex SHA-256 of its stored bytes
 */
public record BackupArtifact(Kind kind, String name, long sizeBytes, String sha256) {

    /** What an artifact holds. */
    public enum Kind {
        /** The pg_dump archive (custom format, or the directory format as a tar stream). */
        DUMP,
        /** The {@code pg_dumpall --globals-only} SQL script: roles, tablespaces. */
        GLOBALS,
        /** A tar of the extra file sets (configuration, model files). */
        FILES
    }

    /**
     * Checks that every part is given.
     *
     * @param kind      what the file holds
     * @param name      its name in the store
     * @param sizeBytes its size as stored
     * @param sha256    the lower-case hex SHA-256 of its stored bytes
     * @throws NullPointerException when kind, name or sha256 is null
     */
    public BackupArtifact {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
    }
}
