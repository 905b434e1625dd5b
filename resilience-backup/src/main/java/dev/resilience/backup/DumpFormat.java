package dev.resilience.backup;

/** The pg_dump archive format of a backup. */
public enum DumpFormat {
    /**
     * {@code pg_dump -Fc} streamed to the store: one compressed file, restorable selectively. The
     * default, and the only format that can be encrypted, because nothing but the stream touches disk.
     */
    CUSTOM,
    /**
     * {@code pg_dump -Fd -j N}: parallel dump into a scratch directory, which is then packed into one
     * tar stream in the store and removed. Faster on multi-core servers with large tables; cannot be
     * combined with encryption since pg_dump writes the directory in plain text.
     */
    DIRECTORY
}
