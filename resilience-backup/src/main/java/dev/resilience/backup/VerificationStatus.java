package dev.resilience.backup;

/** Whether a backup has been verified and with which result. */
public enum VerificationStatus {
    /** Never verified. */
    UNVERIFIED,
    /** The checksum matched and pg_restore read the whole archive (and the drill passed, if run). */
    PASSED,
    /** The checksum did not match, the archive could not be read or decrypted, or the drill failed. */
    FAILED
}
