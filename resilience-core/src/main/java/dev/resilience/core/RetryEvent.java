package dev.resilience.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Retry} did: published to its {@link PolicyListener}s once per retry and once when the call
 * ends. Immutable.
 */
public final class RetryEvent {

    /** The kind of event. */
    public enum Type {
        /** An attempt failed (or its result was rejected) and another follows after {@link #delay()}. */
        RETRY,
        /** The call succeeded; {@link #attempt()} says after how many attempts. */
        SUCCESS,
        /** The call failed for good: attempts or time (max duration, an outer deadline) ran out. */
        EXHAUSTED,
        /** The call failed for good: the shared {@link RetryBudget} allowed no more retries. */
        BUDGET_EXHAUSTED,
        /** The call failed with a failure that is not retried (abortOn, not matched, a rejection). */
        NOT_RETRYABLE,
        /** The thread was interrupted; retrying stopped and the interrupt flag is kept. */
        INTERRUPTED
    }

    private final String retryName;
    private final Type type;
    private final int attempt;
    private final Duration delay;
    private final @Nullable Throwable cause;

    RetryEvent(String retryName, Type type, int attempt, Duration delay, @Nullable Throwable cause) {
        this.retryName = retryName;
        this.type = type;
        this.attempt = attempt;
        this.delay = delay;
        this.cause = cause;
    }

    /** {@return the name of the retry that published the event} */
    public String retryName() {
        return retryName;
    }

    /** {@return what happened: a retry was scheduled, or the call succeeded or gave up} */
    public Type type() {
        return type;
    }

    /** {@return the attempt this event is about, 1 for the first} */
    public int attempt() {
        return attempt;
    }

    /** {@return the backoff before the next attempt for {@link Type#RETRY}; zero otherwise} */
    public Duration delay() {
        return delay;
    }

    /** {@return the failure of the attempt, or null when it succeeded or only its result was rejected} */
    public @Nullable Throwable cause() {
        return cause;
    }

    /** {@return true when the call ended (every type but {@link Type#RETRY})} */
    public boolean isFinal() {
        return type != Type.RETRY;
    }

    @Override
    public String toString() {
        return "RetryEvent{" + retryName + " " + type + " attempt " + attempt
                + (type == Type.RETRY ? " delay " + delay : "") + (cause == null ? "" : " cause " + cause) + "}";
    }
}
