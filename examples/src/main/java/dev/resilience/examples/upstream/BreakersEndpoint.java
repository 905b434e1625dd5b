package dev.resilience.examples.upstream;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /breakers}: the state of each circuit breaker of the service, with its failure rate and
 * the calls in its window. Read-only and cheap. Thread-safe.
 */
public final class BreakersEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/breakers";

    private final List<CircuitBreaker> breakers;

    /** Reports {@code breakers}. */
    public BreakersEndpoint(List<CircuitBreaker> breakers) {
        this.breakers = List.copyOf(breakers);
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals("GET")) {
            throw HttpError.methodNotAllowed("GET");
        }
        Json.send(exchange, 200, Map.of("breakers", breakers.stream().map(b -> Map.of(
                "name", b.name(),
                "state", b.state().name(),
                "failureRatePercent", b.failureRate(),
                "bufferedCalls", b.bufferedCalls())).toList()));
    }
}
