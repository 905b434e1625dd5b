package dev.resilience.backup.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.VerificationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The state of one database's backups, as {@code status} prints it and {@code status --json} writes it.
 * The JSON shape (field names and meanings) is documented in the README and kept stable; fields may be
 * added, never renamed. Immutable.
 *
 * @param database       the database
 * @param state          {@code FRESH}, {@code STALE} (last good backup older than the limit), {@code FAILED}
 *                       (the newest backup was proved corrupt) or {@code NO_BACKUP}
 * @param lastGoodBackup the newest backup neither proved corrupt nor flagged; null when there is none
 * @param ageSeconds     the last good backup's age in seconds at {@code checkedAt}; null when there is none
 * @param maxAgeSeconds  the age limit beyond which the state is STALE
 * @param sizeTrend      the sizes in bytes of the newest backups (at most {@value #TREND}), oldest first
 * @param verification   the newest backup's verification: PASSED, FAILED, INCONCLUSIVE or never
 * @param orphans        files in the store that no manifest lists
 * @param checkedAt      when the status was computed
 */
@JsonPropertyOrder({"database", "state", "lastGoodBackup", "ageSeconds", "maxAgeSeconds", "sizeTrend",
        "verification", "orphans", "checkedAt"})
record BackupStatus(String database, String state, @Nullable Entry lastGoodBackup, @Nullable Long ageSeconds, long maxAgeSeconds,
                    List<Long> sizeTrend, String verification, List<String> orphans, Instant checkedAt) {

    static final int TREND = 5;
    static final String FRESH = "FRESH";

    /** One backup as {@code list --json} and {@code status --json} show it. */
    @JsonPropertyOrder({"id", "startedAt", "sizeBytes", "sha256", "tier", "verification", "encryptionKeyId", "warning"})
    record Entry(String id, Instant startedAt, long sizeBytes, String sha256, String tier, String verification,
                 @Nullable String encryptionKeyId, @Nullable String warning) {

        static Entry of(BackupManifest m) {
            return new Entry(m.id(), m.startedAt(), m.sizeBytes(), m.sha256(), String.valueOf(m.tier()),
                    verificationOf(m), m.encryptionKeyId(), m.warning());
        }
    }

    /** The status of {@code backups} (one database's catalog, oldest first) at {@code now}. */
    static BackupStatus of(String database, List<BackupManifest> backups, List<String> orphans, Instant now, Duration maxAge) {
        BackupManifest good = null;
        for (BackupManifest m : backups) {
            if (m.verification().status() != VerificationStatus.FAILED && m.warning() == null) {
                good = m;
            }
        }
        BackupManifest newest = backups.isEmpty() ? null : backups.get(backups.size() - 1);
        Duration age = good == null ? null : Duration.between(good.startedAt(), now);
        String state;
        if (newest == null) {
            state = "NO_BACKUP";
        } else if (newest.verification().status() == VerificationStatus.FAILED) {
            state = "FAILED";
        } else if (good == null || age == null || age.compareTo(maxAge) > 0) {
            state = "STALE";
        } else {
            state = FRESH;
        }
        List<Long> trend = backups.subList(Math.max(0, backups.size() - TREND), backups.size()).stream()
                .map(BackupManifest::sizeBytes).toList();
        return new BackupStatus(database, state, good == null ? null : Entry.of(good), age == null ? null : age.toSeconds(),
                maxAge.toSeconds(), trend,
                newest == null ? "never" : verificationOf(newest), List.copyOf(orphans), now);
    }

    boolean fresh() {
        return FRESH.equals(state);
    }

    static String verificationOf(BackupManifest m) {
        VerificationStatus status = m.verification().status();
        return status == VerificationStatus.UNVERIFIED ? "never" : status.name();
    }
}
