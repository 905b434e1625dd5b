package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.core.micrometer.RetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sample of resilience-core/README.md, kept compiling and working. */
class ReadmeExampleTest {

    enum Stock { IN_STOCK, SOLD_OUT, UNKNOWN }

    interface Inventory {
        Stock stock(String sku) throws IOException;
    }

    private Policy readmeSample(MeterRegistry meterRegistry) {
        // --- README sample start
        RetryBudget budget = RetryBudget.ofDefaults();   // share one budget between the service's retries
        Retry retry = Retry.builder("inventory")
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL))
                .retryOn(IOException.class)
                .budget(budget)
                .build();
        CircuitBreaker breaker = CircuitBreaker.builder("inventory")
                .failureRateThreshold(50)
                .slowCallDuration(Duration.ofSeconds(1))
                .openDuration(Duration.ofSeconds(30))
                .build();
        Policy inventoryPolicy = Resilience.of(
                Fallback.of(Stock.UNKNOWN),         // what callers get once everything below has failed
                Timeout.of(Duration.ofSeconds(5)),  // bounds the whole call; the retry sees this deadline
                retry,                              // retries IOExceptions, never the breaker's rejections
                breaker,                            // records every attempt
                Timeout.of(Duration.ofSeconds(2))); // bounds each attempt

        new RetryMetrics(retry).bindTo(meterRegistry);
        new CircuitBreakerMetrics(breaker).bindTo(meterRegistry);
        HealthCheck inventoryHealth = breaker.asHealthCheck();
        // --- README sample end
        assertThat(inventoryHealth).isNotNull();
        return inventoryPolicy;
    }

    @Test
    void sampleReturnsTheResult() throws Exception {
        Policy inventoryPolicy = readmeSample(new SimpleMeterRegistry());
        Inventory inventory = sku -> Stock.IN_STOCK;

        Stock stock = inventoryPolicy.call(() -> inventory.stock("sku-1"));

        assertThat(stock).isEqualTo(Stock.IN_STOCK);
    }

    @Test
    void sampleFallsBackOnFailuresItDoesNotRetry() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Policy inventoryPolicy = readmeSample(registry);
        Inventory inventory = sku -> {
            throw new IllegalStateException("bug in the inventory service");
        };

        Stock stock = inventoryPolicy.call(() -> inventory.stock("sku-1"));

        assertThat(stock).isEqualTo(Stock.UNKNOWN);
        assertThat(registry.get("resilience.retry.calls").tag("result", "failed_without_retry").counter().count())
                .isEqualTo(1);
    }
}
