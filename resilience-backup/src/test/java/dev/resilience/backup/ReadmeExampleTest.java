package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.micrometer.BackupMetrics;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's sample, kept compiling and running (without starting the schedule). */
class ReadmeExampleTest {

    @TempDir Path backups;

    @Test
    void readmeSampleBuildsABackupWithScheduleHealthAndMetrics() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();

        // --- README sample start
        PostgresBackup backup = PostgresBackup.builder()
                .host("127.0.0.1").port(5432).database("orders").user("backup")
                .password(() -> System.getenv().getOrDefault("ORDERS_DB_PASSWORD", "").toCharArray())
                .store(LocalDirectoryStore.of(backups))                 // e.g. Path.of("/var/backups/orders")
                .auditLog(backups.resolve("audit.jsonl"))
                .retention(BackupRetention.of(7, 4, 12, ZoneId.of("Europe/Berlin")))
                .listener(BackupMetrics.bindTo(registry, "orders"))
                .build();

        BackupScheduler schedule = BackupScheduler.builder(backup)
                .zone(ZoneId.of("Europe/Berlin"))      // backup 02:00 daily, drill Sunday 03:00, prune after backup
                .drillTables("orders", "customers")    // the drill checks these have rows
                .build();
        // schedule.start();  in the service's start-up; schedule.close() on shutdown

        HealthCheck health = backup.asHealthCheck();     // register with resilience-health
        // --- README sample end

        assertThat(health.check().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(schedule.nextRun(BackupScheduler.Job.BACKUP)).isPresent();
        assertThat(registry.find("backup.success").counter()).isNotNull();
        schedule.close();
    }
}
