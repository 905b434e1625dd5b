package dev.resilience.core.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.ResilienceRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResilienceRegistryMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ResilienceRegistry registry = ResilienceRegistry.builder()
            .timeoutConfig("default", b -> b.duration(Duration.ofSeconds(1)))
            .build();

    private double calls(String meter, String name, String result) {
        return meters.get(meter).tag("name", name).tag("result", result).counter().count();
    }

    @Test
    void bindsPoliciesCreatedBeforeAndAfterBinding() throws Exception {
        CircuitBreaker before = registry.circuitBreaker("before");

        new ResilienceRegistryMetrics(registry).bindTo(meters);
        CircuitBreaker after = registry.circuitBreaker("after");
        before.call(() -> "ok");
        after.call(() -> "ok");
        after.call(() -> "ok");

        assertThat(calls("resilience.circuitbreaker.calls", "before", "success")).isEqualTo(1);
        assertThat(calls("resilience.circuitbreaker.calls", "after", "success")).isEqualTo(2);
    }

    @Test
    void bindsEveryKindOnceWithItsOwnBinder() throws Exception {
        registry.retry("payments").call(() -> "ok");

        new ResilienceRegistryMetrics(registry).bindTo(meters);
        registry.retry("payments").call(() -> "ok");
        registry.timeout("payments").call(() -> "ok");
        registry.bulkhead("payments").call(() -> "ok");

        assertThat(calls("resilience.retry.calls", "payments", "success_without_retry")).isEqualTo(1);
        assertThat(calls("resilience.timeout.calls", "payments", "success")).isEqualTo(1);
        assertThat(calls("resilience.bulkhead.calls", "payments", "permitted")).isEqualTo(1);
    }
}
