package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.Keys;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Finds the key a request is counted under: a client IP, a user, an API key, a route, or anything a
 * function computes. A resolver answers null when the request has no such key (no user logged in, no
 * API key header); {@link #orElse(KeyResolver)} then tries another, and {@link RateLimitRules} counts
 * a request without any key under its client IP, so nothing escapes the limit.
 *
 * <p>Keys carry a type prefix ({@code ip:}, {@code user:}, {@code key:}, {@code route:}) so different
 * kinds never collide. Over-long keys are replaced by their hash by {@link RateLimitRules}.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface KeyResolver {

    /**
     * {@return the key for {@code request}, or null when it has none}
     *
     * @param request the request to key
     */
    @Nullable String resolve(RateLimitRequest request);

    /**
     * {@return this resolver, or {@code other} when this one answers null}
     *
     * @param other asked when this one answers null
     */
    default KeyResolver orElse(KeyResolver other) {
        Objects.requireNonNull(other, "other");
        return request -> {
            String key = resolve(request);
            return key != null ? key : other.resolve(request);
        };
    }

    /**
     * The client IP from the socket address only (no proxy headers), IPv6 grouped by /64; use
     * {@link ClientIpResolver#builder()} to trust proxies.
     *
     * @return a new resolver with the defaults of {@link ClientIpResolver#builder()}
     */
    static KeyResolver clientIp() {
        return ClientIpResolver.builder().build();
    }

    /** {@return the authenticated user: {@code user:<name>}, or null when nobody is logged in} */
    static KeyResolver user() {
        return request -> {
            String principal = request.principal();
            return principal == null || principal.isEmpty() ? null : "user:" + principal;
        };
    }

    /**
     * The API key in header {@code header}, hashed ({@code key:<sha-256>}) so the secret never reaches
     * Redis or logs; null when the header is absent or blank.
     *
     * @param header the header holding the API key, such as {@code X-Api-Key}
     * @return the resolver
     */
    static KeyResolver apiKey(String header) {
        Objects.requireNonNull(header, "header");
        return request -> {
            String value = request.header(header);
            return value == null || value.isBlank() ? null : apiKeyOf(value);
        };
    }

    /**
     * The key {@link #apiKey(String)} resolves for a request carrying {@code apiKey}, for allow and deny
     * lists ({@link RateLimitRules.Builder#allowKeys(String...)}): {@code key:<sha-256>}.
     *
     * @param apiKey the API key in clear
     * @return {@code key:} and the key's SHA-256 in hex
     */
    static String apiKeyOf(String apiKey) {
        Objects.requireNonNull(apiKey, "apiKey");
        return "key:" + Keys.hashed(apiKey.trim());
    }

    /**
     * One key per route: {@code route:<METHOD> <path>}, shared by every client. The path is read as the
     * rules read it (path parameters, empty and dot segments dropped), so respelling it gives no fresh key.
     *
     * @return the resolver
     */
    static KeyResolver route() {
        return request -> "route:" + request.method() + " /" + String.join("/", RateLimitRules.segments(request.path(), true));
    }
}
