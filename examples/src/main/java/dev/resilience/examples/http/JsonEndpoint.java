package dev.resilience.examples.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint of the service: handles one exchange and may throw {@link HttpError} for an error the
 * client can fix. {@link #handler(JsonEndpoint)} adapts it to the JDK server, turning errors into a
 * JSON body {@code {"error": "..."}} and anything unexpected into a logged 500 that reveals nothing.
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
                } catch (IOException e) {
                    log.debug("I/O error answering {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e.toString());
                } catch (Exception e) {
                    log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    Json.send(exchange, 500, Map.of("error", "internal error, see the service log"));
                }
            }
        };
    }
}
