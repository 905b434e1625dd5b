package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.resilience.core.CircuitBreaker;

/**
 * Where the pool reports what it does. {@link #NONE} when the host gave no Micrometer registry, so
 * Micrometer stays an optional dependency; {@link MicrometerPoolMetrics} otherwise.
 *
 * <p>Every method does nothing unless overridden. Implementations are thread-safe and allocation-free on {@link #query(long, QueryOutcome)}.
 */
public interface PoolMetrics {

    /** Reports nothing. */
    PoolMetrics NONE = new PoolMetrics() {
    };

    /** How a statement ended. */
    enum QueryOutcome {
        SUCCESS("success"), ERROR("error"), TIMEOUT("timeout");

        private final String tag;

        QueryOutcome(String tag) {
            this.tag = tag;
        }

        /** The value of the {@code outcome} tag. */
        public String tag() {
            return tag;
        }
    }

    /** One statement ran for {@code elapsedNanos}. */
    default void query(long elapsedNanos, QueryOutcome outcome) {
    }

    /** One statement ran over the slow-query threshold. */
    default void slowQuery() {
    }

    /** A unit of work is about to run again after a transient failure. */
    default void retry() {
    }

    /** A commit failed in flight. */
    default void outcomeUnknown() {
    }

    /** The pool evicted its connections (read-only primary). */
    default void eviction() {
    }

    /** A caller waited the whole connection timeout for a busy pool while the database was reachable. */
    default void acquireTimeout() {
    }

    /** The database became unreachable (an outage began). */
    default void outage() {
    }

    /** Publishes the acquisition breaker's metrics (core's {@code CircuitBreakerMetrics}). */
    default void bind(CircuitBreaker breaker) {
    }

    /**
     * Lets HikariCP publish its own pool metrics to the same place.
     *
     * @param slicedWaits true for the primary pool, whose callers wait in slices ({@link OutageDetector}):
     *        only the timeout of a caller's last slice is a timeout to count
     */
    default void instrument(HikariConfig config, boolean slicedWaits) {
    }
}
