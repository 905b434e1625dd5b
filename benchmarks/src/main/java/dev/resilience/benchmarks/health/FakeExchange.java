package dev.resilience.benchmarks.health;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An in-memory {@link HttpExchange}, so that filters and handlers run exactly as in the JDK server
 * without sockets: the benchmark then measures our code, not the loopback network. Reusable: call
 * {@link #reset(String, URI)} before each invocation. Not thread-safe (one per benchmark thread).
 */
final class FakeExchange extends HttpExchange {

    /** The filters ask which handler serves the request (a health probe or not): an ordinary one here. */
    private static final HttpContext CONTEXT = new HttpContext() {
        private final com.sun.net.httpserver.HttpHandler handler = exchange -> { };
        private final java.util.Map<String, Object> attributes = new java.util.HashMap<>();
        private final java.util.List<com.sun.net.httpserver.Filter> filters = new java.util.ArrayList<>();

        @Override public com.sun.net.httpserver.HttpHandler getHandler() { return handler; }
        @Override public void setHandler(com.sun.net.httpserver.HttpHandler h) { throw new UnsupportedOperationException(); }
        @Override public String getPath() { return "/"; }
        @Override public com.sun.net.httpserver.HttpServer getServer() { return null; }
        @Override public java.util.Map<String, Object> getAttributes() { return attributes; }
        @Override public java.util.List<com.sun.net.httpserver.Filter> getFilters() { return filters; }
        @Override public com.sun.net.httpserver.Authenticator setAuthenticator(com.sun.net.httpserver.Authenticator a) { return null; }
        @Override public com.sun.net.httpserver.Authenticator getAuthenticator() { return null; }
    };

    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(512);
    private String method;
    private URI uri;
    private int status;

    FakeExchange reset(String method, URI uri) {
        this.method = method;
        this.uri = uri;
        this.status = -1;
        responseHeaders.clear();
        body.reset();
        return this;
    }

    int bodySize() {
        return body.size();
    }

    @Override public Headers getRequestHeaders() { return requestHeaders; }
    @Override public Headers getResponseHeaders() { return responseHeaders; }
    @Override public URI getRequestURI() { return uri; }
    @Override public String getRequestMethod() { return method; }
    @Override public HttpContext getHttpContext() { return CONTEXT; }
    @Override public void close() { }
    @Override public InputStream getRequestBody() { return InputStream.nullInputStream(); }
    @Override public OutputStream getResponseBody() { return body; }
    @Override public void sendResponseHeaders(int code, long length) { this.status = code; }
    @Override public InetSocketAddress getRemoteAddress() { return null; }
    @Override public int getResponseCode() { return status; }
    @Override public InetSocketAddress getLocalAddress() { return null; }
    @Override public String getProtocol() { return "HTTP/1.1"; }
    @Override public Object getAttribute(String name) { return null; }
    @Override public void setAttribute(String name, Object value) { }
    @Override public void setStreams(InputStream in, OutputStream out) { }
    @Override public HttpPrincipal getPrincipal() { return null; }
}
