package dev.resilience.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Something the orchestrator did, for listeners: metrics, the audit log, alerts. Immutable.
 *
 * @param type      what was done
 * @param success   whether it succeeded
 * @param backupId  the backup concerned; null for a failed backup that got no id stored, or a prune
 * @param at        when it finished
 * @param duration  how long it took
 * @param sizeBytes the backup's size (0 when not applicable)
 * @param sha256    the backup's checksum; null when not applicable
 * @param message   the failure reason (redacted) or a note such as a small-dump warning; may be null
 */
public record BackupEvent(Type type, boolean success, String backupId, Instant at, Duration duration,
                          long sizeBytes, String sha256, String message) {

    /** What an event reports. */
    public enum Type {
        BACKUP, VERIFY, DRILL, RESTORE, PRUNE, DELETE
    }

    public BackupEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(duration, "duration");
    }
}
