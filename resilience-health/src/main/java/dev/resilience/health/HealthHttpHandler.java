package dev.resilience.health;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.health.internal.EndpointRequest;
import dev.resilience.health.internal.EndpointResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Serves {@link HealthEndpoints} on a JDK {@code com.sun.net.httpserver.HttpServer}: register it for
 * the endpoints' prefix, {@code server.createContext(endpoints.prefix().isEmpty() ? "/" :
 * endpoints.prefix(), new HealthHttpHandler(endpoints))}, or use {@link #mount}. Thread-safe.
 */
public final class HealthHttpHandler implements HttpHandler {

    private final HealthEndpoints endpoints;

    /**
     * A handler serving {@code endpoints}.
     *
     * @param endpoints what to serve
     */
    public HealthHttpHandler(HealthEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    /**
     * Creates the context for the endpoints' prefix on {@code server}, with the given filters (for
     * example the {@link RequestMetricsFilter}) in front.
     *
     * @param server the server to add a context to
     * @param endpoints what to serve, under their prefix
     * @param filters filters run in front of the endpoints, in order
     */
    public static void mount(HttpServer server, HealthEndpoints endpoints, Filter... filters) {
        HttpContext context = server.createContext(endpoints.prefix().isEmpty() ? "/" : endpoints.prefix(),
                new HealthHttpHandler(endpoints));
        context.getFilters().addAll(List.of(filters));
    }

    /** The route template when {@code path} is a health endpoint, else null (for the request metrics filter). */
    @Nullable String healthRoute(String path) {
        return endpoints.healthRoute(path);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            EndpointResponse response = endpoints.handle(new EndpointRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders()::getFirst));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            response.headers().forEach(exchange.getResponseHeaders()::set);
            boolean head = exchange.getRequestMethod().equals("HEAD");
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), head ? -1 : body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
