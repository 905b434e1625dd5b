package dev.resilience.backup;
import org.jspecify.annotations.Nullable;

/**
 * A backup that failed verification: a checksum mismatch, an archive pg_restore cannot read whole,
 * or data that does not decrypt with the configured key (or was encrypted with another key id).
 * Restore refuses such a backup with this exception too.
 */
public class BackupVerificationException extends BackupException {

    private static final long serialVersionUID = 1L;

    /**
     * A verification failure with a message saying what is wrong with the backup.
     *
     * @param message what is wrong with the backup
     * @param cause   the underlying failure, or null
     */
    public BackupVerificationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
