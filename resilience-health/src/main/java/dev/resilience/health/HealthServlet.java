package dev.resilience.health;

import dev.resilience.health.internal.EndpointRequest;
import dev.resilience.health.internal.EndpointResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves {@link HealthEndpoints} in a Jakarta Servlet container: map it to the endpoints' prefix
 * followed by {@code /*} (for example {@code /ops/*}, or {@code /*} without prefix). Paths are taken
 * relative to the servlet context, so the prefix is the same as on the JDK server. Thread-safe.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthEndpoints endpoints;

    /**
     * A servlet serving {@code endpoints}.
     *
     * @param endpoints what to serve
     */
    public HealthServlet(HealthEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String healthRoute = endpoints.healthRoute(path);
        if (healthRoute != null) {
            request.setAttribute(RequestMetrics.HEALTH_ROUTE_ATTRIBUTE, healthRoute);
        }
        EndpointResponse answer = endpoints.handle(new EndpointRequest(request.getMethod(), path, request::getHeader));
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        response.setHeader("Cache-Control", "no-store");
        answer.headers().forEach(response::setHeader);
        if (!request.getMethod().equals("HEAD")) {
            response.setContentLength(answer.body().length);
            response.getOutputStream().write(answer.body());
        }
    }
}
