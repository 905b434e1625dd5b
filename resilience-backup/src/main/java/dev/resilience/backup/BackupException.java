package dev.resilience.backup;

import dev.resilience.core.ResilienceException;
import org.jspecify.annotations.Nullable;

/**
 * A backup, verification, restore or prune that failed. The message says what failed and why, with
 * the tool's standard error where there is one; secrets (the password) are redacted from it.
 */
public class BackupException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message saying what failed.
     *
     * @param message what failed and why, secrets redacted
     */
    public BackupException(String message) {
        super(message);
    }

    /**
     * A failure with a message and the cause.
     *
     * @param message what failed and why, secrets redacted
     * @param cause   the underlying failure, or null
     */
    public BackupException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
