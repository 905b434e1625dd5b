package dev.resilience.backup;

import dev.resilience.core.ResilienceException;

/**
 * A backup, verification, restore or prune that failed. The message says what failed and why, with
 * the tool's standard error where there is one; secrets (the password) are redacted from it.
 */
public class BackupException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** A failure with a message saying what failed. */
    public BackupException(String message) {
        super(message);
    }

    /** A failure with a message and the cause. */
    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
