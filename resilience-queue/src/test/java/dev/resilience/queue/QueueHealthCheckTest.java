package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueHealthCheckTest {

    private static QueueStats stats(Duration oldest) {
        return new QueueStats(Map.of("mail", new QueueStats.TypeStats(3, 1, 2, oldest),
                "sms", new QueueStats.TypeStats(0, 0, 0, Duration.ZERO)));
    }

    @Test
    void upWhileTheOldestReadyTaskIsYoungerThanTheThreshold() {
        HealthCheckResult result = new QueueHealthCheck(() -> stats(Duration.ofSeconds(59)), Duration.ofMinutes(1)).check();
        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("ready", 3L).containsEntry("dead", 2L).containsEntry("oldestReadySeconds", 59L);
    }

    @Test
    void degradedWhenTheOldestReadyTaskWaitsLongerThanTheThreshold() {
        HealthCheckResult result = new QueueHealthCheck(() -> stats(Duration.ofSeconds(61)), Duration.ofMinutes(1)).check();
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.message()).isEqualTo("oldest ready task has waited 61 s, more than 60 s");
    }

    @Test
    void downWhenTheDatabaseCannotBeRead() {
        HealthCheckResult result = new QueueHealthCheck(() -> {
            throw new QueueException("cannot read queue stats", new SQLException("Connection refused", "08001"));
        }, Duration.ofMinutes(1)).check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("cannot read queue stats");
    }

    @Test
    void thresholdMustBePositive() {
        assertThatThrownBy(() -> new QueueHealthCheck(() -> stats(Duration.ZERO), Duration.ZERO))
                .hasMessage("maxReadyAge must be positive, was PT0S");
    }
}
