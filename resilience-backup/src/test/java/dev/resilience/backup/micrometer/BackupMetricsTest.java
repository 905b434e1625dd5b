package dev.resilience.backup.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.BackupEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackupMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BackupMetrics metrics = BackupMetrics.bindTo(registry, "orders");

    @Test
    void countsBackupsAndRecordsDurationSizeAndLastSuccess() {
        Instant at = Instant.parse("2026-03-01T02:00:30Z");

        metrics.onEvent(new BackupEvent(BackupEvent.Type.BACKUP, true, "b1", at, Duration.ofSeconds(30), 1024, "ab", null));
        metrics.onEvent(new BackupEvent(BackupEvent.Type.BACKUP, false, "b2", at, Duration.ofSeconds(1), 0, null, "boom"));

        assertThat(registry.get("backup.success").tag("database", "orders").counter().count()).isEqualTo(1);
        assertThat(registry.get("backup.failure").counter().count()).isEqualTo(1);
        assertThat(registry.get("backup.duration").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(30);
        assertThat(registry.get("backup.size").summary().totalAmount()).isEqualTo(1024);
        assertThat(registry.get("backup.last.success").gauge().value()).isEqualTo(at.getEpochSecond());
    }

    @Test
    void countsRestoresAndVerifications() {
        Instant at = Instant.parse("2026-03-01T02:00:30Z");

        metrics.onEvent(new BackupEvent(BackupEvent.Type.RESTORE, true, "b1", at, Duration.ofSeconds(3), 1, "ab", null));
        metrics.onEvent(new BackupEvent(BackupEvent.Type.DRILL, false, "b1", at, Duration.ofSeconds(3), 1, "ab", "x"));

        assertThat(registry.get("restore.success").counter().count()).isEqualTo(1);
        assertThat(registry.get("backup.verify.failure").counter().count()).isEqualTo(1);
    }
}
