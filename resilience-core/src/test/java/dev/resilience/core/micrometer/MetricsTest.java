package dev.resilience.core.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Backoff;
import dev.resilience.core.Bulkhead;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Fallback;
import dev.resilience.core.Retry;
import dev.resilience.core.Timeout;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private double count(String name, String result) {
        return registry.get(name).tag("result", result).counter().count();
    }

    @Test
    void retryCountsCallsByResult() throws Exception {
        Retry retry = Retry.builder("inventory").sleeper(scheduler).backoff(Backoff.none()).maxAttempts(2)
                .abortOn(IllegalArgumentException.class).build();
        new RetryMetrics(retry).bindTo(registry);
        AtomicInteger calls = new AtomicInteger();

        retry.call(() -> "ok");
        retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "ok";
        });
        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException("always");
        }));
        assertThatThrownBy(() -> retry.call(() -> {
            throw new IllegalArgumentException("not retried");
        }));

        assertThat(count("resilience.retry.calls", "success_without_retry")).isEqualTo(1);
        assertThat(count("resilience.retry.calls", "success_with_retry")).isEqualTo(1);
        assertThat(count("resilience.retry.calls", "failed_with_retry")).isEqualTo(1);
        assertThat(count("resilience.retry.calls", "failed_without_retry")).isEqualTo(1);
    }

    @Test
    void retryRegistersOneCounterPerResult() {
        Retry retry = Retry.builder("r").build();
        new RetryMetrics(retry).bindTo(registry);
        assertThat(registry.get("resilience.retry.calls").tag("name", "r").tag("kind", "retry").counters()).hasSize(4);
    }

    @Test
    void circuitBreakerPublishesStateAndCalls() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("payments").clock(clock).minimumNumberOfCalls(2)
                .countBasedWindow(2).build();
        new CircuitBreakerMetrics(breaker).bindTo(registry);

        breaker.call(() -> "ok");
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IOException("down");
        }));
        assertThatThrownBy(() -> breaker.call(() -> "rejected"));

        assertThat(count("resilience.circuitbreaker.calls", "success")).isEqualTo(1);
        assertThat(count("resilience.circuitbreaker.calls", "failure")).isEqualTo(1);
        assertThat(count("resilience.circuitbreaker.calls", "not_permitted")).isEqualTo(1);
        assertThat(registry.get("resilience.circuitbreaker.state").tag("state", "open").gauge().value()).isEqualTo(1);
        assertThat(registry.get("resilience.circuitbreaker.state").tag("state", "closed").gauge().value()).isZero();
    }

    @Test
    void bulkheadTimeoutAndFallbackCountCalls() throws Exception {
        Bulkhead bulkhead = Bulkhead.builder("reports").maxConcurrentCalls(3).build();
        Timeout timeout = Timeout.builder("slow").duration(Duration.ofSeconds(1)).scheduler(scheduler).clock(clock).build();
        Fallback<String> fallback = Fallback.<String>builder(f -> "x").name("cache").build();
        new BulkheadMetrics(bulkhead).bindTo(registry);
        new TimeoutMetrics(timeout).bindTo(registry);
        new FallbackMetrics(fallback).bindTo(registry);

        bulkhead.call(() -> "ok");
        timeout.call(() -> "ok");
        fallback.call(() -> {
            throw new IOException("down");
        });

        assertThat(count("resilience.bulkhead.calls", "permitted")).isEqualTo(1);
        assertThat(registry.get("resilience.bulkhead.available.calls").gauge().value()).isEqualTo(3);
        assertThat(count("resilience.timeout.calls", "success")).isEqualTo(1);
        assertThat(count("resilience.fallback.calls", "applied")).isEqualTo(1);
    }

    @Test
    void tagsAreLimitedToNameKindResultAndState() {
        new RetryMetrics(Retry.ofDefaults("a")).bindTo(registry);
        new CircuitBreakerMetrics(CircuitBreaker.ofDefaults("b")).bindTo(registry);
        new BulkheadMetrics(Bulkhead.ofDefaults("c")).bindTo(registry);
        new TimeoutMetrics(Timeout.of(Duration.ofSeconds(1))).bindTo(registry);

        Set<String> keys = registry.getMeters().stream().map(Meter::getId)
                .flatMap(id -> id.getTags().stream()).map(Tag::getKey).collect(Collectors.toSet());
        assertThat(keys).isSubsetOf("name", "kind", "result", "state");
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getName()).matches("resilience(\\.[a-z]+)+"));
    }
}
