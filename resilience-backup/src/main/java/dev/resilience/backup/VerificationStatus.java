package dev.resilience.backup;

/**
 * Whether a backup has been verified and with which result. Only {@link #FAILED} says anything against
 * the backup itself: retention lets a FAILED backup lose its slot and never one that is
 * {@link #INCONCLUSIVE}.
 */
public enum VerificationStatus {
    /** Never verified. */
    UNVERIFIED,
    /** The checksum matched and pg_restore read the whole archive (and the drill passed, if run). */
    PASSED,
    /**
     * Proved corrupt: a stored file is missing or does not match its size or SHA-256 in the manifest,
     * the manifest contradicts itself, or pg_restore rejects an archive whose bytes are as written.
     */
    FAILED,
    /**
     * The check could not conclude, which proves nothing against the backup: the key was missing or
     * wrong, a tool was missing or killed, the server was unreachable, or a drill's restore or sanity
     * query failed (a missing role, a mistyped or empty table).
     */
    INCONCLUSIVE
}
