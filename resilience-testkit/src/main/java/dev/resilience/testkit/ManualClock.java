package dev.resilience.testkit;

import dev.resilience.core.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} that moves only when told to. Pass it to a policy's builder and call
 * {@link #advance(Duration)} to test timing (breaker open duration, sliding windows, retry deadlines)
 * without sleeping.
 *
 * <p>Thread-safe. The monotonic and wall readings move together.
 */
public final class ManualClock implements Clock {

    private final AtomicLong nanos = new AtomicLong();
    private final Instant origin;

    /** A clock at an arbitrary fixed instant (2026-01-01T00:00:00Z). */
    public ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * A clock whose wall time starts at {@code start}.
     *
     * @param start the wall time of the first reading; nanoTime starts at 0
     */
    public ManualClock(Instant start) {
        this.origin = Objects.requireNonNull(start, "start");
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public Instant now() {
        return origin.plusNanos(nanos.get());
    }

    /**
     * Moves time forward.
     *
     * @param duration how far, zero or more
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative: " + duration);
        }
        nanos.addAndGet(duration.toNanos());
    }

    /**
     * Moves time forward by {@code millis} milliseconds.
     *
     * @param millis how far, zero or more
     */
    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /**
     * Moves wall time forward to {@code instant}, which must not be before {@link #now()}.
     *
     * @param instant the new wall time; nanoTime moves by the same amount
     */
    public void advanceTo(Instant instant) {
        advance(Duration.between(now(), instant));
    }

    @Override
    public String toString() {
        return "ManualClock{" + now() + "}";
    }
}
