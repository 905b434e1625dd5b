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
 * database unreachable or too slow) into 503 with {@code Retry-After}, and anything unexpected into a
 * logged 500 that reveals nothing.
 */
@FunctionalInterface
public interface JsonEndpoint {

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
                    if (Unavailable.isTemporary(e)) {
                        // a breaker open, the database down or slow: the client should come back, not see a bug
                        log.warn("{} {} answered 503: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
                        exchange.getResponseHeaders().set("Retry-After", "5");
                        Json.send(exchange, 503, Map.of("error", "temporarily unavailable, retry shortly"));
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
