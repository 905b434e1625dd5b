package dev.resilience.ratelimit;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The parts of an HTTP request that key resolution and routing read, independent of the server API.
 * The servlet and {@code HttpServer} filters adapt their requests to it; adapt your own framework's
 * request the same way to use {@link RateLimitRules} directly.
 */
public interface RateLimitRequest {

    /** {@return the IP address of the peer that opened the connection (no port), for example {@code 10.0.0.7}} */
    String remoteAddress();

    /**
     * {@return every value of the header {@code name} (case-insensitive), in order; empty when absent}
     *
     * @param name the header's name, any case
     */
    List<String> headers(String name);

    /**
     * {@return the first value of the header, or null}
     *
     * @param name the header's name, any case
     */
    default @Nullable String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** {@return the HTTP method} */
    String method();

    /**
     * {@return the path, percent-decoded, without query string and without the context path} Path parameters
     * ({@code ;a=b}), dot segments and repeated slashes may be left in: the rules read past them.
     */
    String path();

    /**
     * The path prefix under which the server hands every request to the handler serving this one,
     * whatever follows (the JDK {@code HttpServer} context path: {@code /auth/login} serves
     * {@code /auth/loginx} too; a servlet's path mapping {@code /auth/login/*} as {@code /auth/login}),
     * or null when the handler serves only this path or it is unknown. A route matching it applies to
     * every request of that handler.
     *
     * @return the handler's path prefix, or null (the default)
     */
    default @Nullable String handlerPath() {
        return null;
    }

    /** {@return the authenticated user's name, or null} */
    @Nullable String principal();
}
