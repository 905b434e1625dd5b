package dev.resilience.core;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The source of time for every policy: a monotonic ticker for measuring durations and a wall clock
 * for timestamps. Policies never read {@link System#nanoTime()} directly, so tests can drive time
 * with {@code dev.resilience.testkit.ManualClock} instead of sleeping.
 *
 * <p>Implementations must be thread-safe. {@link #system()} is the default everywhere.
 */
public interface Clock {

    /**
     * Monotonic time in nanoseconds, only meaningful as a difference between two readings.
     *
     * @return nanoseconds from an arbitrary origin; never decreases
     */
    long nanoTime();

    /**
     * The current wall-clock time.
     *
     * @return the wall-clock instant, for timestamps (never for measuring durations)
     */
    Instant now();

    /** {@return the wall-clock time in epoch milliseconds} */
    default long currentTimeMillis() {
        return now().toEpochMilli();
    }

    /**
     * A {@link java.time.Clock} view of this clock's wall time in the given zone, for APIs (cron
     * parsers, {@code java.time}) that take one.
     *
     * @param zone the zone of the view's dates
     * @return a java.time.Clock reading this clock's wall time
     */
    default java.time.Clock asJavaClock(ZoneId zone) {
        Clock self = this;
        return new java.time.Clock() {
            @Override public ZoneId getZone() { return zone; }
            @Override public java.time.Clock withZone(ZoneId other) { return self.asJavaClock(other); }
            @Override public Instant instant() { return self.now(); }
            @Override public long millis() { return self.currentTimeMillis(); }
        };
    }

    /** {@return the system clock: {@link System#nanoTime()} and {@link System#currentTimeMillis()}} */
    static Clock system() {
        return SystemTime.INSTANCE;
    }
}
