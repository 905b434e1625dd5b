package dev.resilience.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Formats rate-limit response headers as in the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Policy: "ip15m";q=100;w=900} lists each limit
 * of the policy (quota {@code q} per window {@code w} seconds) and {@code RateLimit: "ip15m";r=42;t=518}
 * tells, for the limit that decided, the permits remaining and the seconds until it resets. Optionally
 * the legacy {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset}
 * (seconds from now) as well; on rejection {@code Retry-After} in seconds.
 *
 * <p>Stateless and thread-safe.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /** The {@code RateLimit-Policy} value for {@code policy}. */
    public static String policy(RateLimitPolicy policy) {
        StringBuilder value = new StringBuilder();
        for (Limit limit : policy.limits()) {
            if (value.length() > 0) {
                value.append(", ");
            }
            value.append('"').append(limit.name()).append("\";q=").append(limit.permits())
                    .append(";w=").append(ceilSeconds(limit.window().toNanos()));
        }
        return value.toString();
    }

    /** The {@code RateLimit} value for {@code decision}. */
    public static String rateLimit(Decision decision) {
        return '"' + decision.limitName() + "\";r=" + decision.remaining() + ";t=" + ceilSeconds(decision.resetAfterNanos());
    }

    /** {@code Retry-After} in whole seconds, at least 1. */
    public static String retryAfter(Decision decision) {
        return Long.toString(Math.max(1, ceilSeconds(decision.retryAfterNanos())));
    }

    /**
     * Every header for a response: {@code RateLimit-Policy}, {@code RateLimit}, the legacy ones when
     * asked, and {@code Retry-After} when rejected. Insertion ordered.
     */
    public static Map<String, String> of(RateLimitPolicy policy, Decision decision, boolean legacy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", policy(policy));
        headers.put("RateLimit", rateLimit(decision));
        if (legacy) {
            headers.put("X-RateLimit-Limit", Long.toString(decision.limit()));
            headers.put("X-RateLimit-Remaining", Long.toString(decision.remaining()));
            headers.put("X-RateLimit-Reset", Long.toString(ceilSeconds(decision.resetAfterNanos())));
        }
        if (!decision.allowed()) {
            headers.put("Retry-After", retryAfter(decision));
        }
        return headers;
    }

    /** The {@code application/problem+json} body of a 429 response (RFC 9457). */
    public static String problem(Decision decision) {
        return "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Rate limit "
                + decision.limitName() + " exceeded: retry after " + retryAfter(decision) + " s.\",\"limit\":\""
                + decision.limitName() + "\",\"retryAfter\":" + retryAfter(decision) + "}";
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
