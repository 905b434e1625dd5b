package dev.resilience.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

    /**
     * {@return the {@code RateLimit-Policy} value for {@code policy}}
     *
     * @param policy the policy whose limits are listed
     */
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

    /**
     * {@return the {@code RateLimit} value for {@code decision}}
     *
     * @param decision the decision whose limit and remaining permits are reported
     */
    public static String rateLimit(Decision decision) {
        return '"' + decision.limitName() + "\";r=" + decision.remaining() + ";t=" + resetSeconds(decision);
    }

    /**
     * The {@code t} of {@code RateLimit}: the seconds until the deciding limit gives permits back, never
     * more than its window ({@code w}). A fixed or sliding window: until the current window (aligned to
     * the epoch) ends, 0 when nothing is counted; a sliding window's permits of this window then fade
     * out over the next one, so not all of the quota is back at {@code t}. A token bucket: until its
     * next permit drips in, 0 when full. A rejection never says 0: when nothing is counted (a
     * {@code FAIL_CLOSED} limiter without Redis) it is the retry time, at most the window.
     *
     * <p>{@link Decision#resetAfter()} is the time until the limit is <em>fully</em> replenished, which
     * for a sliding window can be nearly two windows and for a token bucket with a burst capacity
     * beyond its rate several; it is not what the draft's {@code t} means.
     */
    static long resetSeconds(Decision decision) {
        Limit limit = limitNamed(decision.policy(), decision.limitName());
        long full = decision.resetAfterNanos();
        if (limit == null) {
            return ceilSeconds(full);
        }
        long window = limit.window().toNanos() / 1_000 * 1_000; // the counters' microseconds
        long reset;
        if (limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
            // full is the bucket's debt (GCRA: its arrival time ahead of now); a permit per interval pays it off
            long interval = limit.window().toNanos() / 1_000 / limit.permits() * 1_000;
            long part = full % interval;
            reset = full == 0 ? 0 : part == 0 ? interval : part;
        } else {
            // more than a window: something is counted in the current window, which ends `full - window` from now
            reset = full > window ? Math.min(full - window, window) : full; // min: whatever a clock did meanwhile
        }
        if (!decision.allowed() && reset == 0) {
            reset = Math.min(decision.retryAfterNanos(), window);
        }
        return ceilSeconds(reset);
    }

    private static @Nullable Limit limitNamed(RateLimitPolicy policy, String name) {
        for (Limit limit : policy.limits()) {
            if (limit.name().equals(name)) {
                return limit;
            }
        }
        return null;
    }

    /**
     * {@code Retry-After} in whole seconds, at least 1.
     *
     * @param decision a rejection
     * @return the header's value
     */
    public static String retryAfter(Decision decision) {
        return Long.toString(Math.max(1, ceilSeconds(decision.retryAfterNanos())));
    }

    /**
     * Every header for a response: {@code RateLimit-Policy} (of the {@link Decision#policy() policy that
     * decided}, so during a Redis fallback the quotas of the local share, matching {@code RateLimit}),
     * {@code RateLimit}, the legacy ones when asked, and {@code Retry-After} when rejected. Insertion ordered.
     *
     * @param decision the limiter's decision
     * @param legacy true to add {@code X-RateLimit-Limit/Remaining/Reset}
     * @return the header names and values, a new map
     */
    public static Map<String, String> of(Decision decision, boolean legacy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Policy", policy(decision.policy()));
        headers.put("RateLimit", rateLimit(decision));
        if (legacy) {
            headers.put("X-RateLimit-Limit", Long.toString(decision.limit()));
            headers.put("X-RateLimit-Remaining", Long.toString(decision.remaining()));
            headers.put("X-RateLimit-Reset", Long.toString(resetSeconds(decision)));
        }
        if (!decision.allowed()) {
            headers.put("Retry-After", retryAfter(decision));
        }
        return headers;
    }

    /**
     * {@return the {@code application/problem+json} body of a 429 response (RFC 9457)}
     *
     * @param decision the rejection
     */
    public static String problem(Decision decision) {
        return "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"Rate limit "
                + decision.limitName() + " exceeded: retry after " + retryAfter(decision) + " s.\",\"limit\":\""
                + decision.limitName() + "\",\"retryAfter\":" + retryAfter(decision) + "}";
    }

    private static long ceilSeconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
