package dev.resilience.core;

import java.time.Duration;

/**
 * Thrown instead of running the work when a {@link CircuitBreaker} does not permit the call: it is OPEN,
 * FORCED_OPEN, or HALF_OPEN with every probe taken. A cheap rejection: no stack trace, and the message is
 * built only when read.
 */
public final class CallNotPermittedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * The name of the breaker that rejected the call.
     */
    private final String breakerName;
    /**
     * The state the breaker was in: OPEN, HALF_OPEN with every probe out, or FORCED_OPEN.
     */
    private final CircuitBreaker.State state;
    /**
     * How long the breaker was still to stay open, in nanoseconds; 0 when not OPEN.
     */
    private final long remainingOpenNanos;

    CallNotPermittedException(String breakerName, CircuitBreaker.State state, long remainingOpenNanos) {
        super(null, null, true);
        this.breakerName = breakerName;
        this.state = state;
        this.remainingOpenNanos = Math.max(0, remainingOpenNanos);
    }

    /** {@return the name of the breaker that rejected the call} */
    public String breakerName() {
        return breakerName;
    }

    /** {@return the breaker's state when it rejected the call} */
    public CircuitBreaker.State state() {
        return state;
    }

    /**
     * {@return how long the breaker stays OPEN before it lets probes through; zero when HALF_OPEN (probes are out)
     * or FORCED_OPEN (until someone closes it)}
     */
    public Duration remainingOpen() {
        return Duration.ofNanos(remainingOpenNanos);
    }

    @Override
    public String getMessage() {
        switch (state) {
            case OPEN:
                return "Circuit breaker '" + breakerName + "' is OPEN and does not permit calls for another "
                        + Math.max(1, (remainingOpenNanos + 999_999) / 1_000_000) + " ms";
            case HALF_OPEN:
                return "Circuit breaker '" + breakerName + "' is HALF_OPEN and all its probe calls are in flight";
            default:
                return "Circuit breaker '" + breakerName + "' is " + state + " and does not permit calls";
        }
    }
}
