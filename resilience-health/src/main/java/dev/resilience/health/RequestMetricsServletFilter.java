package dev.resilience.health;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The request metrics middleware for Jakarta Servlet containers: register it for {@code /*} before
 * every other filter. Asynchronous requests are recorded when their {@code AsyncContext} completes.
 * While shutting down it answers new requests with 503 and {@code Connection: close}. See
 * {@link RequestMetrics} for what it records; requests a {@link HealthServlet} served go to
 * {@link RequestMetrics#endHealthProbe}.
 *
 * <p>Thread-safe.
 */
public final class RequestMetricsServletFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient RequestMetrics metrics;

    /**
     * A filter recording into {@code metrics}.
     *
     * @param metrics where requests are recorded; may be shared with other servers
     */
    public RequestMetricsServletFilter(RequestMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long start = metrics.begin();
        if (start == RequestMetrics.REJECTED) {
            response.setHeader("Connection", "close");
            response.sendError(503);
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        Throwable error = null;
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                async = true;
                request.getAsyncContext().addListener(new Completion(start, request.getMethod(), path));
            }
        } catch (IOException | ServletException | RuntimeException | Error e) {
            error = e;
            throw e;
        } finally {
            if (!async) {
                int status = response.getStatus();
                if (error != null && status < 400) {
                    status = 500;
                }
                Object healthRoute = request.getAttribute(RequestMetrics.HEALTH_ROUTE_ATTRIBUTE);
                if (healthRoute instanceof String route) {
                    metrics.endHealthProbe(start, request.getMethod(), route, status);
                } else {
                    metrics.end(start, request.getMethod(), path, status, error);
                }
            }
        }
    }

    private final class Completion implements AsyncListener {
        private final long start;
        private final String method;
        private final String path;

        Completion(long start, String method, String path) {
            this.start = start;
            this.method = method;
            this.path = path;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ServletResponse response = event.getSuppliedResponse();
            int status = response instanceof HttpServletResponse http ? http.getStatus() : 200;
            metrics.end(start, method, path, status, event.getThrowable());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }
}
