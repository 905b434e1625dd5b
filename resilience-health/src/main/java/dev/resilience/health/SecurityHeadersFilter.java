package dev.resilience.health;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Adds {@link SecurityHeaders} to the responses of a JDK {@code com.sun.net.httpserver.HttpServer}
 * context ({@code context.getFilters().add(filter)}). The headers are added when the handler calls
 * {@code sendResponseHeaders}, and only those the handler has not set itself, so a handler's own
 * {@code Content-Security-Policy} (set before or after this filter ran) is sent once, as the handler
 * set it. HSTS goes on responses of an {@code HttpsServer}, or on every response when the headers say
 * a proxy terminates TLS.
 *
 * <p>The handler sees a wrapper of the exchange (a plain {@code HttpExchange}, also on an
 * {@code HttpsServer}: a handler that needs {@code HttpsExchange.getSSLSession()} must run without
 * this filter). Thread-safe; one instance serves every context.
 */
public final class SecurityHeadersFilter extends Filter {

    private final SecurityHeaders headers;

    /**
     * A filter adding {@code headers}.
     *
     * @param headers the headers, by path prefix
     */
    public SecurityHeadersFilter(SecurityHeaders headers) {
        this.headers = Objects.requireNonNull(headers, "headers");
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        chain.doFilter(new AddingExchange(exchange));
    }

    @Override
    public String description() {
        return "adds security headers the handler did not set";
    }

    /** Delegates everything; adds the missing headers just before the status line goes out. */
    private final class AddingExchange extends HttpExchange {
        private final HttpExchange exchange;

        AddingExchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
            Headers response = exchange.getResponseHeaders();
            boolean secure = exchange.getHttpContext().getServer() instanceof HttpsServer;
            for (Map.Entry<String, String> header : headers.headersFor(exchange.getRequestURI().getRawPath(), secure)
                    .entrySet()) {
                if (!response.containsKey(header.getKey())) {
                    response.set(header.getKey(), header.getValue());
                }
            }
            exchange.sendResponseHeaders(rCode, responseLength);
        }

        @Override
        public Headers getRequestHeaders() {
            return exchange.getRequestHeaders();
        }

        @Override
        public Headers getResponseHeaders() {
            return exchange.getResponseHeaders();
        }

        @Override
        public URI getRequestURI() {
            return exchange.getRequestURI();
        }

        @Override
        public String getRequestMethod() {
            return exchange.getRequestMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return exchange.getHttpContext();
        }

        @Override
        public void close() {
            exchange.close();
        }

        @Override
        public InputStream getRequestBody() {
            return exchange.getRequestBody();
        }

        @Override
        public OutputStream getResponseBody() {
            return exchange.getResponseBody();
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return exchange.getRemoteAddress();
        }

        @Override
        public int getResponseCode() {
            return exchange.getResponseCode();
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return exchange.getLocalAddress();
        }

        @Override
        public String getProtocol() {
            return exchange.getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return exchange.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            exchange.setAttribute(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            exchange.setStreams(i, o);
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return exchange.getPrincipal();
        }
    }
}
