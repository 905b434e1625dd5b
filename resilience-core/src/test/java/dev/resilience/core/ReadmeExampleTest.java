package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.core.micrometer.RetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

    /** A reply of the quotes service in the README's Retry-After sample. */
    interface Response {
        int status();

        Optional<Duration> retryAfter();
    }

    interface QuoteClient {
        Response fetch(String pair, Duration deadline) throws IOException;
    }

    private static Response reply(int status, Duration retryAfter) {
        return new Response() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public Optional<Duration> retryAfter() {
                return Optional.ofNullable(retryAfter);
            }
        };
    }

    @Test
    void retryAfterSampleHonoursTheServersDelayAndPassesTheTimeLeft() throws Exception {
        // a 503 that asks to come back at once (Retry-After: 0, so the test does not wait), then a 200
        List<String> seen = new ArrayList<>();
        QuoteClient client = (pair, deadline) -> {
            seen.add(pair + " within " + deadline.toSeconds() + " s");
            return seen.size() == 1 ? reply(503, Duration.ZERO) : reply(200, null);
        };

        // --- README sample start (Retry-After)
        CircuitBreaker quotesBreaker = CircuitBreaker.builder("quotes")
                .recordResult(reply -> ((Response) reply).status() >= 500)     // a 5xx reply counts as failed
                .build();
        Retry quotes = Retry.builder("quotes")
                .maxAttempts(4)
                .maxDuration(Duration.ofSeconds(10))
                .retryOnResult(reply -> ((Response) reply).status() == 503)    // results can be retried too
                .delayFrom(attempt -> attempt.lastResult() instanceof Response
                        ? ((Response) attempt.lastResult()).retryAfter().orElse(null)  // the server's Retry-After
                        : null)                                                  // else the backoff
                .build();
        Response response = quotes.callWithAttempt(attempt -> quotesBreaker.call(() ->
                client.fetch("EURUSD", attempt.remaining())));  // also attempt.number(), attempt.lastFailure()
        // --- README sample end

        assertThat(response.status()).isEqualTo(200);
        assertThat(quotesBreaker.bufferedCalls()).isEqualTo(2);
        assertThat(seen).hasSize(2).allSatisfy(line -> assertThat(line).matches("EURUSD within \\d+ s"));
    }
}
