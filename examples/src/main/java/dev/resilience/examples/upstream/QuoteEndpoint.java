package dev.resilience.examples.upstream;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.core.Backoff;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Fallback;
import dev.resilience.core.Jitter;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import dev.resilience.core.Retry;
import dev.resilience.core.Timeout;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.core.micrometer.FallbackMetrics;
import dev.resilience.core.micrometer.RetryMetrics;
import dev.resilience.core.micrometer.TimeoutMetrics;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.http.Query;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/quote?item=x}: the upstream's price for {@code x}, called through
 * {@code Resilience.of(fallback, retry, breaker, timeout)}:
 * <ol>
 *   <li>fallback: when everything below failed, answer {@code "source": "fallback"} with the last
 *       price seen for the item (null if none) instead of an error;</li>
 *   <li>retry: 3 attempts, exponential backoff from 50 ms with full jitter; never retries the breaker's
 *       rejection;</li>
 *   <li>circuit breaker {@code upstream}: opens when half of the last 20 attempts (at least 5) failed,
 *       rejects at once for 30 s, then lets 2 probes through;</li>
 *   <li>timeout: each attempt gets {@code UPSTREAM_TIMEOUT} (default 1 s).</li>
 * </ol>
 * Thread-safe.
 */
public final class QuoteEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/api/quote";

    /** Last prices are kept for this many items at most, so the cache cannot grow without bound. */
    static final int MAX_REMEMBERED_ITEMS = 10_000;

    private final QuoteClient client;
    private final CircuitBreaker breaker;
    private final Policy policy;
    private final Map<String, Double> lastPrices = new ConcurrentHashMap<>();

    /** Calls {@code client} with a per-attempt {@code timeout}, publishing the policies' metrics to {@code meters}. */
    public QuoteEndpoint(QuoteClient client, Duration timeout, MeterRegistry meters) {
        this.client = client;
        this.breaker = CircuitBreaker.builder("upstream")
                .failureRateThreshold(50)
                .countBasedWindow(20)
                .minimumNumberOfCalls(5)
                .openDuration(Duration.ofSeconds(30))
                .permittedCallsInHalfOpen(2)
                .build();
        Retry retry = Retry.builder("upstream")
                .maxAttempts(3)
                .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofMillis(500)).withJitter(Jitter.FULL))
                .build();
        Timeout perAttempt = Timeout.builder("upstream").duration(timeout).build();
        Fallback<Quote> fallback = Fallback.<Quote>builder(failure -> Quote.UNAVAILABLE).name("upstream").build();
        this.policy = Resilience.of(fallback, retry, breaker, perAttempt);
        new CircuitBreakerMetrics(breaker).bindTo(meters);
        new RetryMetrics(retry).bindTo(meters);
        new TimeoutMetrics(perAttempt).bindTo(meters);
        new FallbackMetrics(fallback).bindTo(meters);
    }

    /** The breaker around the upstream, for health and {@code /breakers}. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals("GET")) {
            throw HttpError.methodNotAllowed("GET");
        }
        String item = Query.param(exchange, "item").orElse("widget");
        Quote quote = policy.call(() -> client.quote(item));
        if (quote == Quote.UNAVAILABLE) {
            quote = new Quote(item, lastPrices.get(item), "fallback");
        } else if (lastPrices.size() < MAX_REMEMBERED_ITEMS || lastPrices.containsKey(item)) {
            lastPrices.put(item, quote.price());
        }
        Json.send(exchange, 200, quote);
    }
}
