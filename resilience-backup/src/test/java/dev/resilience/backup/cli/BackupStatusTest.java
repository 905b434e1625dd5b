package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resilience.backup.BackupArtifact;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupTier;
import dev.resilience.backup.DumpFormat;
import dev.resilience.backup.Verification;
import dev.resilience.backup.VerificationStatus;
import dev.resilience.backup.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupStatusTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration LIMIT = Duration.ofHours(26);

    private static BackupManifest backup(int hoursAgo, long size, VerificationStatus status, String warning) {
        Instant started = NOW.minus(Duration.ofHours(hoursAgo));
        String id = "db-" + started.toEpochMilli();
        Verification verification = status == VerificationStatus.UNVERIFIED ? Verification.NONE
                : new Verification(status, started.plusSeconds(120), null, false, null);
        return new BackupManifest(id, "db", "15.0", "pg_dump 15.0", started, started.plusSeconds(60),
                Duration.ofSeconds(60), size, "ab", DumpFormat.CUSTOM, "gzip:6", null, BackupTier.DAILY,
                List.of(new BackupArtifact(BackupArtifact.Kind.DUMP, id + ".dump", size, "ab")), warning, verification);
    }

    @Test
    void aRecentIntactBackupIsFreshWithItsAgeAndVerification() {
        BackupStatus status = BackupStatus.of("db", List.of(backup(3, 1000, VerificationStatus.PASSED, null)), List.of(), NOW, LIMIT);

        assertThat(status.fresh()).isTrue();
        assertThat(status.ageSeconds()).isEqualTo(3 * 3600);
        assertThat(status.verification()).isEqualTo("PASSED");
        assertThat(status.lastGoodBackup().verification()).isEqualTo("PASSED");
    }

    @Test
    void aLastGoodBackupOlderThanTheLimitIsStale() {
        BackupStatus status = BackupStatus.of("db", List.of(backup(27, 1000, VerificationStatus.UNVERIFIED, null)), List.of(), NOW, LIMIT);

        assertThat(status.state()).isEqualTo("STALE");
        assertThat(status.fresh()).isFalse();
        assertThat(status.verification()).isEqualTo("never");
    }

    @Test
    void aNewestBackupProvedCorruptIsFailedAndTheLastGoodOneIsTheOneBefore() {
        BackupManifest good = backup(30, 1000, VerificationStatus.INCONCLUSIVE, null);
        BackupStatus status = BackupStatus.of("db", List.of(good, backup(2, 1000, VerificationStatus.FAILED, null)),
                List.of(), NOW, LIMIT);

        assertThat(status.state()).isEqualTo("FAILED");
        assertThat(status.verification()).isEqualTo("FAILED");
        assertThat(status.lastGoodBackup().id()).isEqualTo(good.id());
        assertThat(status.lastGoodBackup().verification()).isEqualTo("INCONCLUSIVE");
    }

    @Test
    void aFlaggedNewestBackupDoesNotCountAsGood() {
        BackupStatus status = BackupStatus.of("db", List.of(backup(30, 1000, VerificationStatus.UNVERIFIED, null),
                backup(1, 10, VerificationStatus.UNVERIFIED, "is far smaller than the previous one")), List.of(), NOW, LIMIT);

        assertThat(status.state()).isEqualTo("STALE");
        assertThat(status.ageSeconds()).isEqualTo(30 * 3600);
    }

    @Test
    void noBackupIsNotFresh() {
        BackupStatus status = BackupStatus.of("db", List.of(), List.of("db-1.dump"), NOW, LIMIT);

        assertThat(status.state()).isEqualTo("NO_BACKUP");
        assertThat(status.lastGoodBackup()).isNull();
        assertThat(status.verification()).isEqualTo("never");
        assertThat(status.orphans()).containsExactly("db-1.dump");
    }

    @Test
    void theSizeTrendHoldsTheLastFiveSizesOldestFirst() {
        List<BackupManifest> backups = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            backups.add(backup(70 - i * 10, 100 + i, VerificationStatus.UNVERIFIED, null));
        }

        assertThat(BackupStatus.of("db", backups, List.of(), NOW, LIMIT).sizeTrend()).containsExactly(102L, 103L, 104L, 105L, 106L);
    }

    @Test
    void theJsonShapeHasTheDocumentedFields() throws Exception {
        BackupStatus status = BackupStatus.of("db", List.of(backup(3, 1000, VerificationStatus.PASSED, null)), List.of(), NOW, LIMIT);

        JsonNode json = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(status));

        assertThat(json.fieldNames()).toIterable().containsExactly("database", "state", "lastGoodBackup", "ageSeconds",
                "maxAgeSeconds", "sizeTrend", "verification", "orphans", "checkedAt");
        assertThat(json.get("lastGoodBackup").fieldNames()).toIterable().containsExactly("id", "startedAt", "sizeBytes",
                "sha256", "tier", "verification", "encryptionKeyId", "warning");
        assertThat(json.get("checkedAt").asText()).isEqualTo("2026-11-29T12:00:00Z");
        assertThat(json.get("lastGoodBackup").get("startedAt").asText()).isEqualTo("2026-11-29T09:00:00Z");
        assertThat(json.get("maxAgeSeconds").asLong()).isEqualTo(26 * 3600);
    }
}
