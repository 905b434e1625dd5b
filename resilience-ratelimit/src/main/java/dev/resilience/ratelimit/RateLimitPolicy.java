package dev.resilience.ratelimit;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The limits a {@link RateLimiter} applies to every key, for example 10 per second and 1000 per hour.
 * A request is admitted only when every limit has room, and then consumes from all of them; a request
 * rejected by one limit consumes from none.
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitPolicy {

    private final List<Limit> limits;

    private RateLimitPolicy(List<Limit> limits) {
        this.limits = limits;
    }

    /**
     * {@return a policy of the given limits}
     *
     * @param limits 1 to 8 limits with distinct names; a request must fit all
     * @throws IllegalArgumentException when there is no limit, more than 8, or two share a name
     */
    public static RateLimitPolicy of(Limit... limits) {
        Objects.requireNonNull(limits, "limits");
        return of(List.of(limits));
    }

    /**
     * {@return a policy of the given limits}
     *
     * @param limits 1 to 8 limits with distinct names; a request must fit all; copied
     * @throws IllegalArgumentException when there is no limit, more than 8, or two share a name
     */
    public static RateLimitPolicy of(List<Limit> limits) {
        List<Limit> copy = List.copyOf(limits);
        if (copy.isEmpty() || copy.size() > 8) {
            throw new IllegalArgumentException("a policy needs between 1 and 8 limits: " + copy.size());
        }
        Set<String> names = new HashSet<>();
        for (Limit limit : copy) {
            if (!names.add(limit.name())) {
                throw new IllegalArgumentException("limit names must be unique in a policy: " + limit.name());
            }
        }
        return new RateLimitPolicy(copy);
    }

    /** {@return the limits, in the order given} */
    public List<Limit> limits() {
        return limits;
    }

    /** {@return the longest window of the policy: how long a key's state matters after its last use} */
    public Duration longestWindow() {
        Duration longest = Duration.ZERO;
        for (Limit limit : limits) {
            Duration span = limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET
                    ? limit.window().multipliedBy(limit.capacity()).dividedBy(limit.permits())
                    : limit.algorithm() == Limit.Algorithm.SLIDING_WINDOW ? limit.window().multipliedBy(2) : limit.window();
            if (span.compareTo(longest) > 0) {
                longest = span;
            }
        }
        return longest;
    }

    /** {@return the smallest capacity of its limits: no request may ask for more permits} */
    public long maxPermits() {
        long max = Long.MAX_VALUE;
        for (Limit limit : limits) {
            max = Math.min(max, limit.capacity());
        }
        return max;
    }

    /**
     * {@return this policy with every quota multiplied by {@code share} (at least one permit each)}
     *
     * @param share greater than 0 and at most 1, such as {@code 1.0 / instances}
     * @throws IllegalArgumentException unless {@code 0 < share <= 1}
     */
    public RateLimitPolicy withShare(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be > 0 and <= 1: " + share);
        }
        if (share == 1) {
            return this;
        }
        return new RateLimitPolicy(limits.stream().map(limit -> limit.withShare(share)).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimitPolicy policy && policy.limits.equals(limits);
    }

    @Override
    public int hashCode() {
        return limits.hashCode();
    }

    @Override
    public String toString() {
        return "RateLimitPolicy" + limits;
    }
}
