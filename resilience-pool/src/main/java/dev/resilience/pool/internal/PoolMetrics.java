package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariConfig;
import dev.resilience.core.CircuitBreaker;

/**
 * Where the pool reports what it does. {@link #NONE} when the host gave no Micrometer registry, so
 * Micrometer stays an optional dependency; {@link MicrometerPoolMetrics} otherwise.
 *
 * <p>Implementations are thread-safe and allocation-free on {@link #query(long, QueryOutcome)}.
 */
public interface PoolMetrics {

    /** Reports nothing. */
    PoolMetrics NONE = new PoolMetrics() {
        @Override
        public void query(long elapsedNanos, QueryOutcome outcome) {
        }

        @Override
        public void slowQuery() {
        }

        @Override
        public void retry() {
        }

        @Override
        public void outcomeUnknown() {
        }

        @Override
        public void eviction() {
        }

        @Override
        public void acquireTimeout() {
        }

        @Override
        public void outage() {
        }

        @Override
        public void bind(CircuitBreaker breaker) {
        }
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
    void query(long elapsedNanos, QueryOutcome outcome);

    /** One statement ran over the slow-query threshold. */
    void slowQuery();

    /** A unit of work is about to run again after a transient failure. */
    void retry();

    /** A commit failed in flight. */
    void outcomeUnknown();

    /** The pool evicted its connections (read-only primary). */
    void eviction();

    /** A caller waited the whole connection timeout for a busy pool while the database was reachable. */
    void acquireTimeout();

    /** The database became unreachable (an outage began). */
    void outage();

    /** Publishes the acquisition breaker's metrics (core's {@code CircuitBreakerMetrics}). */
    void bind(CircuitBreaker breaker);

    /**
     * Lets HikariCP publish its own pool metrics to the same place.
     *
     * @param slicedWaits true for the primary pool, whose callers wait in slices ({@link OutageDetector}):
     *        only the timeout of a caller's last slice is a timeout to count
     */
    default void instrument(HikariConfig config, boolean slicedWaits) {
    }
}
