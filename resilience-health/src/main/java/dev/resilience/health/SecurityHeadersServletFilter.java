package dev.resilience.health;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Adds {@link SecurityHeaders} to the responses of a Jakarta Servlet container: register it for
 * {@code /*}. The headers are set before the rest of the chain runs, so they are there even when the
 * application commits the response early; an application that sets one of them itself
 * ({@code setHeader} or {@code addHeader}) replaces the value, and the header is sent once. HSTS goes
 * on responses to secure requests ({@code request.isSecure()}), or on every response when the headers
 * say a proxy terminates TLS. Paths are taken relative to the servlet context.
 *
 * <p>Thread-safe.
 */
public final class SecurityHeadersServletFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private final transient SecurityHeaders headers;

    /**
     * A filter adding {@code headers}.
     *
     * @param headers the headers, by path prefix
     */
    public SecurityHeadersServletFilter(SecurityHeaders headers) {
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (Map.Entry<String, String> header : headers.headersFor(path, request.isSecure()).entrySet()) {
            response.setHeader(header.getKey(), header.getValue());
        }
        chain.doFilter(request, new ReplacingResponse(response));
    }

    /** Turns {@code addHeader} of a managed header into {@code setHeader}, so the default is replaced, not doubled. */
    private static final class ReplacingResponse extends HttpServletResponseWrapper {
        ReplacingResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void addHeader(String name, String value) {
            if (SecurityHeaders.manages(name)) {
                super.setHeader(name, value);
            } else {
                super.addHeader(name, value);
            }
        }
    }
}
