package dev.resilience.ratelimit;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta Servlet filter applying {@link RateLimitRules}: admitted requests go on with the
 * {@code RateLimit-Policy}/{@code RateLimit} headers set; rejected ones get {@code 429 Too Many Requests}
 * with {@code Retry-After} and an {@code application/problem+json} body. The Servlet API is a
 * {@code provided} dependency: the container supplies it.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new RateLimitServletFilter(rules)), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RateLimitServletFilter implements Filter {

    private final RateLimitRules rules;

    /**
     * A filter applying {@code rules} to every request it sees.
     *
     * @param rules the routes, keys and limiters; may be shared with other filters
     */
    public RateLimitServletFilter(RateLimitRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * The effective settings: the rules' ({@link RateLimitRules#config()}), the filter has none of its own.
     *
     * @return the settings of the rules this filter applies
     */
    public RateLimitRules.Config config() {
        return rules.config();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)) {
            chain.doFilter(request, response);
            return;
        }
        RateLimitRules.Outcome outcome = rules.evaluate(new ServletRequestView(http));
        if (outcome == null) {
            chain.doFilter(request, response);
            return;
        }
        for (Map.Entry<String, String> header : outcome.headers().entrySet()) {
            out.setHeader(header.getKey(), header.getValue());
        }
        if (outcome.admitted()) {
            boolean completed = false;
            try {
                chain.doFilter(request, response);
                if (http.isAsyncStarted()) {
                    http.getAsyncContext().addListener(new Completion(outcome, out));
                } else {
                    completed = true;
                    outcome.completed(out.getStatus());
                }
            } finally {
                if (!completed && !http.isAsyncStarted()) {
                    outcome.completed(500); // the handler threw
                }
            }
            return;
        }
        byte[] body = outcome.problem().getBytes(StandardCharsets.UTF_8);
        out.setStatus(outcome.status());
        out.setContentType("application/problem+json");
        out.setContentLength(body.length);
        out.getOutputStream().write(body);
    }

    /** Completes the outcome of a request that went asynchronous once its response is known. */
    private static final class Completion implements AsyncListener {
        private final RateLimitRules.Outcome outcome;
        private final HttpServletResponse response;

        Completion(RateLimitRules.Outcome outcome, HttpServletResponse response) {
            this.outcome = outcome;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            outcome.completed(response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            outcome.completed(500);
        }

        @Override
        public void onError(AsyncEvent event) {
            outcome.completed(500);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // still the same request
        }
    }

    private static final class ServletRequestView implements RateLimitRequest {
        private final HttpServletRequest request;

        ServletRequestView(HttpServletRequest request) {
            this.request = request;
        }

        @Override
        public String remoteAddress() {
            return request.getRemoteAddr();
        }

        @Override
        public List<String> headers(String name) {
            return Collections.list(request.getHeaders(name));
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            // servlet path + path info is decoded and normalised by the container ("/a/../b" is "/b")
            String servletPath = request.getServletPath();
            String pathInfo = request.getPathInfo();
            return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        }

        @Override
        public @Nullable String handlerPath() {
            // a path mapping "/auth/login/*" serves "/auth/login" and everything below it
            HttpServletMapping mapping = request.getHttpServletMapping();
            return mapping != null && mapping.getMappingMatch() == MappingMatch.PATH ? request.getServletPath() : null;
        }

        @Override
        public @Nullable String principal() {
            Principal principal = request.getUserPrincipal();
            return principal == null ? null : principal.getName();
        }
    }
}
