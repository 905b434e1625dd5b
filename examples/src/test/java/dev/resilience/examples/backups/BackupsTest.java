package dev.resilience.examples.backups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.examples.DatabaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupsTest {

    @TempDir
    Path dir;

    @Test
    void withoutPgDumpBackupsAreOffAndHealthSaysWhy() throws Exception {
        Path emptyBin = dir.resolve("bin");
        java.nio.file.Files.createDirectories(emptyBin);

        try (Backups backups = Backups.start(new DatabaseConfig("localhost", 5432, "shop", "app", "", ""), dir.resolve("backups"),
                "0 2 * * *", Optional.of(emptyBin), Optional.empty(), new SimpleMeterRegistry())) {
            HealthCheckResult health = backups.asHealthCheck().check();

            assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(health.message()).startsWith("backups are off: pg_dump not found")
                    .contains("set PG_BIN to the folder holding pg_dump and pg_restore")
                    .doesNotContain("PgBinaries");
            assertThat(backups.describe()).startsWith("off");
            assertThatThrownBy(backups::list).isInstanceOf(Backups.BackupsOffException.class);
        }
    }

    @Test
    void anInvalidScheduleStopsTheStartEvenWhenBackupsAreOff() throws Exception {
        Path emptyBin = java.nio.file.Files.createDirectories(dir.resolve("bin"));

        assertThatThrownBy(() -> Backups.start(new DatabaseConfig("localhost", 5432, "shop", "app", "", ""), dir.resolve("backups"),
                "every night", Optional.of(emptyBin), Optional.empty(), new SimpleMeterRegistry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("BACKUP_SCHEDULE must be a 5-field cron expression like '0 2 * * *' but was 'every night'");
    }
}
