package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The pool's own meters, tagged {@code pool=<name>}:
 * {@code resilience.pool.queries} (timer, tag {@code outcome}: success, error, timeout),
 * {@code resilience.pool.slow.queries}, {@code resilience.pool.retries},
 * {@code resilience.pool.outcome.unknown}, {@code resilience.pool.evictions},
 * {@code resilience.pool.acquire.timeouts}, {@code resilience.pool.outages} (counters); plus
 * HikariCP's own meters and core's circuit breaker meters for the acquisition breaker.
 *
 * <p>Thread-safe; every meter is created up front, so recording allocates nothing.
 */
public final class MicrometerPoolMetrics implements PoolMetrics {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer[] queries;
    private final Counter slow;
    private final Counter retries;
    private final Counter outcomeUnknown;
    private final Counter evictions;
    private final Counter acquireTimeouts;
    private final Counter outages;

    /**
     * @param registry where the meters go
     * @param poolName the {@code pool} tag
     */
    public MicrometerPoolMetrics(MeterRegistry registry, String poolName) {
        this.registry = registry;
        this.tags = Tags.of("pool", poolName);
        QueryOutcome[] outcomes = QueryOutcome.values();
        this.queries = new Timer[outcomes.length];
        for (QueryOutcome outcome : outcomes) {
            queries[outcome.ordinal()] = Timer.builder("resilience.pool.queries")
                    .description("Statements run through the pool").tags(tags).tag("outcome", outcome.tag())
                    .register(registry);
        }
        this.slow = counter("resilience.pool.slow.queries", "Statements over the slow-query threshold");
        this.retries = counter("resilience.pool.retries", "Units of work run again after a transient failure");
        this.outcomeUnknown = counter("resilience.pool.outcome.unknown", "Commits that failed in flight");
        this.evictions = counter("resilience.pool.evictions", "Evictions of every connection (read-only primary)");
        this.acquireTimeouts = counter("resilience.pool.acquire.timeouts",
                "Callers that waited the whole connection timeout for a busy pool (saturation, not an outage)");
        this.outages = counter("resilience.pool.outages", "Times the database became unreachable");
    }

    /**
     * The metrics for a registry passed as {@code Object}, so that callers compile and load without
     * Micrometer on the class path when no registry is given.
     */
    public static PoolMetrics of(Object registry, String poolName) {
        return new MicrometerPoolMetrics((MeterRegistry) registry, poolName);
    }

    @Override
    public void instrument(HikariConfig config, boolean slicedWaits) {
        MetricsTrackerFactory hikari = new MicrometerMetricsTrackerFactory(registry);
        config.setMetricsTrackerFactory(slicedWaits
                ? (pool, stats) -> new LastSliceTimeoutsOnly(hikari.create(pool, stats)) : hikari);
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void query(long elapsedNanos, QueryOutcome outcome) {
        queries[outcome.ordinal()].record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void slowQuery() {
        slow.increment();
    }

    @Override
    public void retry() {
        retries.increment();
    }

    @Override
    public void outcomeUnknown() {
        outcomeUnknown.increment();
    }

    @Override
    public void eviction() {
        evictions.increment();
    }

    @Override
    public void acquireTimeout() {
        acquireTimeouts.increment();
    }

    @Override
    public void outage() {
        outages.increment();
    }

    @Override
    public void bind(CircuitBreaker breaker) {
        new CircuitBreakerMetrics(breaker).bindTo(registry);
    }

    /**
     * HikariCP's tracker, except that a timed-out wait slice counts in {@code hikaricp.connections.timeout}
     * only when it was the caller's last: a caller that waits 2 s in 250 ms slices is one timeout, not eight.
     * (The pool's health check borrows outside the slices; its rare timeouts are not counted here.)
     */
    private static final class LastSliceTimeoutsOnly implements IMetricsTracker {
        private final IMetricsTracker delegate;

        LastSliceTimeoutsOnly(IMetricsTracker delegate) {
            this.delegate = delegate;
        }

        @Override
        public void recordConnectionCreatedMillis(long millis) {
            delegate.recordConnectionCreatedMillis(millis);
        }

        @Override
        public void recordConnectionAcquiredNanos(long nanos) {
            delegate.recordConnectionAcquiredNanos(nanos);
        }

        @Override
        public void recordConnectionUsageMillis(long millis) {
            delegate.recordConnectionUsageMillis(millis);
        }

        @Override
        public void recordConnectionTimeout() {
            if (OutageDetector.inLastSlice()) {
                delegate.recordConnectionTimeout();
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
