package dev.resilience.health.internal;

import java.util.function.Function;

/** A request as the transport-neutral endpoint core sees it. Immutable. */
public final class EndpointRequest {

    private final String method;
    private final String path;
    private final Function<String, String> headers;

    /**
     * @param path the raw path relative to the application's root, without query string
     * @param headers returns the first value of a header (case-insensitive), or null
     */
    public EndpointRequest(String method, String path, Function<String, String> headers) {
        this.method = method;
        this.path = path;
        this.headers = headers;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public String header(String name) {
        return headers.apply(name);
    }
}
