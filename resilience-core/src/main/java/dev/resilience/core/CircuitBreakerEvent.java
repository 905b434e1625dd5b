package dev.resilience.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link CircuitBreaker} did: a recorded call, a rejected call, or a state transition. Published to
 * its {@link PolicyListener}s. Immutable.
 */
public final class CircuitBreakerEvent {

    /** The kind of event. */
    public enum Type {
        /** A call succeeded within the slow-call duration. */
        SUCCESS,
        /** A call succeeded but took at least the slow-call duration. */
        SLOW_SUCCESS,
        /** A call failed with an exception recorded as a failure. */
        FAILURE,
        /** A call failed and took at least the slow-call duration. */
        SLOW_FAILURE,
        /** A call failed with an ignored exception: counted neither way. */
        IGNORED,
        /** A call was rejected without running. */
        NOT_PERMITTED,
        /** The state changed from {@link #fromState()} to {@link #toState()}. */
        STATE_TRANSITION
    }

    private final String breakerName;
    private final Type type;
    private final CircuitBreaker.State fromState;
    private final CircuitBreaker.State toState;
    private final long durationNanos;
    private final @Nullable Throwable cause;

    CircuitBreakerEvent(String breakerName, Type type, CircuitBreaker.State fromState, CircuitBreaker.State toState,
            long durationNanos, @Nullable Throwable cause) {
        this.breakerName = breakerName;
        this.type = type;
        this.fromState = fromState;
        this.toState = toState;
        this.durationNanos = durationNanos;
        this.cause = cause;
    }

    /** {@return the name of the breaker that published the event} */
    public String breakerName() {
        return breakerName;
    }

    /** {@return what happened: a recorded call, a rejection or a state transition} */
    public Type type() {
        return type;
    }

    /** {@return the state before a transition; for other events the state the breaker was in} */
    public CircuitBreaker.State fromState() {
        return fromState;
    }

    /** {@return the state after a transition; for other events the state the breaker was in} */
    public CircuitBreaker.State toState() {
        return toState;
    }

    /** {@return how long the recorded call took (zero for rejections, transitions and when not measured)} */
    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** {@return the failure of a FAILURE, SLOW_FAILURE or IGNORED call; null otherwise} */
    public @Nullable Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "CircuitBreakerEvent{" + breakerName + " " + type
                + (type == Type.STATE_TRANSITION ? " " + fromState + " -> " + toState : " in " + fromState)
                + (cause == null ? "" : " cause " + cause) + "}";
    }
}
