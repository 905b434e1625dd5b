package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private final Path path = Path.of("/data");

    @Test
    void diskIsUpWithEnoughFreeSpace() throws IOException {
        HealthCheckResult result = HealthChecks.diskResult(path, 50, 100, 0.20, 0.05);

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsEntry("freeBytes", 50L).containsEntry("totalBytes", 100L)
                .containsEntry("freeRatio", 0.5);
    }

    @Test
    void diskIsDegradedUnderTwentyPercentFree() throws IOException {
        HealthCheckResult result = HealthChecks.diskResult(path, 19, 100, 0.20, 0.05);

        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.message()).isEqualTo("19.0 % free on /data");
    }

    @Test
    void diskIsDownUnderFivePercentFree() throws IOException {
        assertThat(HealthChecks.diskResult(path, 4, 100, 0.20, 0.05).status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void diskCheckReadsTheRealFileStore() throws Exception {
        HealthCheckResult result = HealthChecks.diskSpace(Path.of("."), 0.0, 0.0).check();

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat((Long) result.details().get("totalBytes")).isPositive();
    }

    @Test
    void heapIsDegradedAboveTheWarnRatio() throws Exception {
        assertThat(HealthChecks.heap(0.0, 1.0).check().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(HealthChecks.heap(1.0, 1.0).check().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void noDeadlockedThreadsIsUp() throws Exception {
        assertThat(HealthChecks.deadlockedThreads().check().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void systemLoadReportsTheProcessorCount() throws Exception {
        HealthCheckResult result = HealthChecks.systemLoad(1000).check();

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.details()).containsKey("loadAverage");
    }

    @Test
    void rejectsRatiosOutsideZeroToOne() {
        assertThatThrownBy(() -> HealthChecks.diskSpace(path, 1.5, 0.05))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warnFreeRatio").hasMessageContaining("1.5");
        assertThatThrownBy(() -> HealthChecks.diskSpace(path, 0.05, 0.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warnFreeRatio");
        assertThatThrownBy(() -> HealthChecks.heap(0.99, 0.9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warnUsedRatio");
        assertThatThrownBy(() -> HealthChecks.systemLoad(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warnLoadPerCpu");
    }
}
