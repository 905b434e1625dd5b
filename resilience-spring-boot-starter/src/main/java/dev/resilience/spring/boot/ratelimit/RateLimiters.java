package dev.resilience.spring.boot.ratelimit;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.ratelimit.RateLimiter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The named limiters of {@code resilience.ratelimit.limiters.*}, as one bean: the servlet filter's routes and
 * {@link RateLimited} methods look their limiter up here by name. Closing it closes the limiters (not the
 * Redis backend, which is a bean of its own).
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimiters implements AutoCloseable {

    private final Map<String, RateLimiter> limiters;

    /**
     * Wraps limiters by name.
     *
     * @param limiters the limiters; copied
     */
    public RateLimiters(Map<String, ? extends RateLimiter> limiters) {
        this.limiters = Collections.unmodifiableMap(new LinkedHashMap<>(limiters));
    }

    /**
     * The limiters' names.
     *
     * @return the names, in configuration order
     */
    public Set<String> names() {
        return limiters.keySet();
    }

    /**
     * Whether a limiter of this name exists.
     *
     * @param name a limiter name
     * @return true if it is configured
     */
    public boolean contains(String name) {
        return limiters.containsKey(name);
    }

    /**
     * The limiter of this name.
     *
     * @param name a limiter name
     * @return the limiter
     * @throws IllegalArgumentException naming the property to set when there is none
     */
    public RateLimiter get(String name) {
        RateLimiter limiter = limiters.get(name);
        if (limiter == null) {
            throw new IllegalArgumentException("no rate limiter '" + name + "': define resilience.ratelimit.limiters."
                    + name + ".limits.<limit>.permits and .window (known: " + limiters.keySet() + ")");
        }
        return limiter;
    }

    /**
     * One health check over every limiter: the worst of their statuses (a Redis limiter is DEGRADED while it
     * decides by its fallback), each limiter's status in the details.
     *
     * @return the check
     */
    public HealthCheck asHealthCheck() {
        return () -> {
            HealthStatus worst = HealthStatus.UP;
            Map<String, Object> details = new LinkedHashMap<>();
            String message = null;
            for (Map.Entry<String, RateLimiter> entry : limiters.entrySet()) {
                HealthCheckResult result = entry.getValue().asHealthCheck().check();
                details.put(entry.getKey(), result.status().name());
                if (result.status().ordinal() > worst.ordinal()) {
                    message = entry.getKey() + ": " + result.message();
                }
                worst = worst.worst(result.status());
            }
            return HealthCheckResult.of(worst, message).withDetails(details);
        };
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (RateLimiter limiter : limiters.values()) {
            try {
                limiter.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "RateLimiters" + limiters.keySet();
    }
}
