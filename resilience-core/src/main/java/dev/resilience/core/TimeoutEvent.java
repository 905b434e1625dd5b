package dev.resilience.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a {@link Timeout} saw: the work finished in time (with success or failure) or the deadline passed. Immutable. */
public final class TimeoutEvent {

    /** The kind of event. */
    public enum Type {
        /** The work succeeded in time. */
        SUCCESS,
        /** The work failed in time; its failure is the cause. */
        FAILURE,
        /** The deadline passed first. */
        TIMEOUT
    }

    private final String timeoutName;
    private final Type type;
    private final long durationNanos;
    private final @Nullable Throwable cause;

    TimeoutEvent(String timeoutName, Type type, long durationNanos, @Nullable Throwable cause) {
        this.timeoutName = timeoutName;
        this.type = type;
        this.durationNanos = durationNanos;
        this.cause = cause;
    }

    /** {@return the name of the timeout that published the event} */
    public String timeoutName() {
        return timeoutName;
    }

    /** {@return what happened: the work finished in time, with success or failure, or the deadline passed} */
    public Type type() {
        return type;
    }

    /** {@return how long the work ran (for TIMEOUT: until the deadline)} */
    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    /** {@return the work's failure for FAILURE, null otherwise} */
    public @Nullable Throwable cause() {
        return cause;
    }

    @Override
    public String toString() {
        return "TimeoutEvent{" + timeoutName + " " + type + " after " + duration().toMillis() + " ms"
                + (cause == null ? "" : " cause " + cause) + "}";
    }
}
