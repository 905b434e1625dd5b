package dev.resilience.ratelimit;

import dev.resilience.core.ResilienceException;
import java.time.Duration;
import java.util.Objects;

/**
 * Thrown instead of running work when a {@link RateLimiter} rejected it, for callers that limit method
 * calls rather than HTTP requests (the Spring starter's {@code @RateLimited}). A cheap rejection: no stack
 * trace, and the message is built only when read. It names the limiter and the limit that decided, never
 * the key (which may be an address or a user).
 *
 * <p>Immutable.
 */
public final class RateLimitedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** The name of the limiter that refused. */
    private final String limiterName;
    private final transient Decision decision;

    /**
     * A rejection by {@code limiterName}.
     *
     * @param limiterName the limiter that rejected
     * @param decision    its rejecting decision
     */
    public RateLimitedException(String limiterName, Decision decision) {
        super(null, null, true);
        this.limiterName = Objects.requireNonNull(limiterName, "limiterName");
        this.decision = Objects.requireNonNull(decision, "decision");
    }

    /** {@return the limiter that rejected the call} */
    public String limiterName() {
        return limiterName;
    }

    /** {@return the rejecting decision: which limit decided and when to retry} */
    public Decision decision() {
        return decision;
    }

    /** {@return how long until a permit is expected to be free} */
    public Duration retryAfter() {
        return decision.retryAfter();
    }

    @Override
    public String getMessage() {
        return "Rate limiter '" + limiterName + "' rejected the call (limit " + decision.limitName()
                + "): retry after " + decision.retryAfter().toMillis() + " ms";
    }
}
