package dev.resilience.ratelimit;

import java.util.List;

/**
 * The parts of an HTTP request that key resolution and routing read, independent of the server API.
 * The servlet and {@code HttpServer} filters adapt their requests to it; adapt your own framework's
 * request the same way to use {@link RateLimitRules} directly.
 */
public interface RateLimitRequest {

    /** The IP address of the peer that opened the connection (no port), for example {@code 10.0.0.7}. */
    String remoteAddress();

    /** Every value of the header {@code name} (case-insensitive), in order; empty when absent. */
    List<String> headers(String name);

    /** The first value of the header, or null. */
    default String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The HTTP method. */
    String method();

    /** The path, without query string and without the context path. */
    String path();

    /** The authenticated user's name, or null. */
    String principal();
}
