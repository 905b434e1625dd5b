package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupHealthCheckTest {

    private final Instant start = Instant.parse("2026-03-01T02:00:00Z");
    private final ManualClock clock = new ManualClock(start);
    private final MemoryStore store = new MemoryStore();
    private final PostgresBackup backup = PostgresBackup.builder().database("db").store(store).clock(clock).build();

    @Test
    void upWhenTheNewestBackupIsFreshAndDiskHasRoom() throws Exception {
        store.saveManifest(Manifests.at(start));
        clock.advance(Duration.ofHours(25));

        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("backups", 1);
    }

    @Test
    void downWhenThereIsNoBackup() throws Exception {
        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("no backup yet");
    }

    @Test
    void downWhenTheNewestBackupIsOlderThan26Hours() throws Exception {
        store.saveManifest(Manifests.at(start));
        clock.advance(Duration.ofHours(27));

        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("26 h");
    }

    @Test
    void downWhenTheLastVerificationFoundAnInvalidChecksum() throws Exception {
        store.saveManifest(Manifests.at(start, Manifests.failed(start.plusSeconds(3600)), 1000));

        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("checksum mismatch");
    }

    @Test
    void downWhenTheLastBackupAttemptFailed() throws Exception {
        store.saveManifest(Manifests.at(start));
        PostgresBackup failing = PostgresBackup.builder().database("db").store(store).clock(clock)
                .binaries(PgBinaries.in(java.nio.file.Path.of("/nonexistent-pg-bin"))).build();
        try {
            failing.backup();
        } catch (BackupException expected) {
            // the failure is what the health check must report
        }

        HealthCheckResult result = failing.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("last backup failed").contains("pg_dump not found");
    }

    @Test
    void aBackupFailureInTheAuditLogKeepsHealthDownAfterARestart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        store.saveManifest(Manifests.at(start));
        java.nio.file.Path audit = dir.resolve("audit.jsonl");
        AuditLog.at(audit).onEvent(new BackupEvent(BackupEvent.Type.BACKUP, false, "b2", start.plusSeconds(86400),
                Duration.ofSeconds(3), 0, null, "pg_dump exited with code 1"));
        java.nio.file.Files.writeString(audit, "{\"torn", java.nio.file.StandardOpenOption.APPEND);

        PostgresBackup restarted = PostgresBackup.builder().database("db").store(store).clock(clock).auditLog(audit).build();

        assertThat(restarted.asHealthCheck().check().message()).contains("last backup failed: pg_dump exited with code 1");
    }

    @Test
    void degradedWhenTheStoreHasUnder20PercentFree() throws Exception {
        store.saveManifest(Manifests.at(start));
        store.free = 0.15;

        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.message()).contains("15.0 % free");
    }

    @Test
    void degradedWhenTheNewestBackupWasFlaggedSmall() throws Exception {
        BackupManifest m = Manifests.at(start);
        store.saveManifest(new BackupManifest(m.id(), m.database(), m.serverVersion(), m.pgDumpVersion(), m.startedAt(),
                m.finishedAt(), m.duration(), m.sizeBytes(), m.sha256(), m.format(), m.compression(), null, m.tier(),
                List.copyOf(m.artifacts()), "suspiciously small", null));

        HealthCheckResult result = backup.asHealthCheck().check();

        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.message()).contains("suspiciously small");
    }
}
