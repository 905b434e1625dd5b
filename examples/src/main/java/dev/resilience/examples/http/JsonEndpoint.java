package dev.resilience.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint of the service: handles one exchange and may throw {@link HttpError} for an error the
 * client can fix. {@link #handler(JsonEndpoint)} adapts it to the JDK server, turning errors into a
 * JSON body {@code {"error": "..."}}, a failure that will pass ({@link Unavailable}: a breaker open, the
 * database unreachable or too slow) into 503 with {@code Retry-After}, a write whose commit was cut off
 * ({@link Unavailable#isOutcomeUnknown}; a read meeting it is a 503 like the rest of the outage) into a 500 that says so and has no {@code Retry-After}, and
 * anything unexpected into a logged 500 that reveals nothing.
 */
@FunctionalInterface
public interface JsonEndpoint {

    /** The error of a write whose commit was cut off by a lost database connection. */
    String OUTCOME_UNKNOWN = "outcome unknown: the database connection was lost during the commit, so the change may or may not"
            + " be stored; look for it before sending it again";

    /** Handles the exchange and sends the answer. */
    void handle(HttpExchange exchange) throws Exception;

    /** The JDK {@link HttpHandler} running {@code endpoint} with the error mapping above. */
    static HttpHandler handler(JsonEndpoint endpoint) {
        Logger log = LoggerFactory.getLogger(JsonEndpoint.class);
        return exchange -> {
            try (exchange) {
                try {
                    endpoint.handle(exchange);
                } catch (HttpError e) {
                    e.headers().forEach(exchange.getResponseHeaders()::set);
                    Json.send(exchange, e.status(), Map.of("error", e.getMessage()));
                } catch (Exception e) {
                    // a read changed nothing, so a commit cut off under it is just the outage: retrying it is safe
                    boolean read = exchange.getRequestMethod().equals("GET") || exchange.getRequestMethod().equals("HEAD");
                    if (Unavailable.isTemporary(e) || read && Unavailable.isOutcomeUnknown(e)) {
                        // a breaker open, the database down or slow: the client should come back, not see a bug
                        log.warn("{} {} answered 503: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
                        exchange.getResponseHeaders().set("Retry-After", "5");
                        Json.send(exchange, 503, Map.of("error", "temporarily unavailable, retry shortly"));
                        return;
                    }
                    if (Unavailable.isOutcomeUnknown(e)) {
                        // the commit may have happened: a blind retry could store it twice, so no Retry-After
                        log.warn("{} {} answered 500, outcome unknown: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                                e.toString());
                        Json.send(exchange, 500, Map.of("error", OUTCOME_UNKNOWN));
                        return;
                    }
                    log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    if (exchange.getResponseCode() < 0) { // nothing sent yet
                        Json.send(exchange, 500, Map.of("error", "internal error, see the service log"));
                    }
                }
            }
        };
    }
}
