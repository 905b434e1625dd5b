package dev.resilience.health;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Objects;

/**
 * The request metrics middleware for the JDK {@code com.sun.net.httpserver.HttpServer}: add it to
 * each context's filters ({@code context.getFilters().add(filter)}). While shutting down it answers
 * new requests with 503 and {@code Connection: close}. See {@link RequestMetrics} for what it records;
 * requests served by a {@link HealthHttpHandler} go to {@link RequestMetrics#endHealthProbe}.
 *
 * <p>Thread-safe; one instance serves every context.
 */
public final class RequestMetricsFilter extends Filter {

    private final RequestMetrics metrics;

    /**
     * A filter recording into {@code metrics}.
     *
     * @param metrics where requests are recorded; may be shared with other servers
     */
    public RequestMetricsFilter(RequestMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        long start = metrics.begin();
        if (start == RequestMetrics.REJECTED) {
            exchange.getResponseHeaders().set("Connection", "close");
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
            return;
        }
        Throwable error = null;
        try {
            chain.doFilter(exchange);
        } catch (IOException | RuntimeException | Error e) {
            error = e;
            throw e;
        } finally {
            int status = exchange.getResponseCode();
            if (status < 0) {
                status = error != null ? 500 : 200;
            }
            String path = exchange.getRequestURI().getRawPath();
            String healthRoute = exchange.getHttpContext().getHandler() instanceof HealthHttpHandler health
                    ? health.healthRoute(path) : null;
            if (healthRoute != null) {
                metrics.endHealthProbe(start, exchange.getRequestMethod(), healthRoute, status);
            } else {
                metrics.end(start, exchange.getRequestMethod(), path, status, error);
            }
        }
    }

    @Override
    public String description() {
        return "records http.server.requests and tracks in-flight requests";
    }
}
