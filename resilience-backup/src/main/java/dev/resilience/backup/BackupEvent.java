package dev.resilience.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
public record BackupEvent(Type type, boolean success, @Nullable String backupId, Instant at,
                          Duration duration, long sizeBytes, @Nullable String sha256, @Nullable String message) {

    /** What an event reports. */
    public enum Type {
        /** A backup was taken (or failed). */
        BACKUP,
        /** A backup's checksums and archive were verified. */
        VERIFY,
        /** A backup was restored into a scratch database and checked. */
        DRILL,
        /** A backup was restored into a target database. */
        RESTORE,
        /** Retention deleted the backups it no longer keeps. */
        PRUNE,
        /** One backup was deleted. */
        DELETE
    }

    /**
     * Checks the required parts.
     *
     * @param type      what was done
     * @param success   whether it succeeded
     * @param backupId  the backup concerned; null for a failed backup that got no id stored, or a prune
     * @param at        when it finished
     * @param duration  how long it took
     * @param sizeBytes the backup's size (0 when not applicable)
     * @param sha256    the backup's checksum; null when not applicable
     * @param message   the failure reason (redacted) or a note such as a small-dump warning; may be null
     * @throws NullPointerException when type, at or duration is null
     */
    public BackupEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(duration, "duration");
    }
}
