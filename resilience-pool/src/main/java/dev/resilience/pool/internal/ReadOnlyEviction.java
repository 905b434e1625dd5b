package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.resilience.core.Clock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HikariCP's eviction hook for the primary pool (HikariCP issue 2185): when a statement fails with
 * SQL state {@code 25006} (read-only transaction), the server behind the connection has most likely
 * been demoted to a standby by a failover. The connection is evicted and, at most once per
 * {@code quietPeriod}, every other connection of the pool is soft-evicted too (idle ones at once,
 * busy ones when returned), so new connections reach the new primary (with a multi-host URL and
 * {@code targetServerType=primary}, or a DNS name that moved).
 *
 * <p>Thread-safe.
 */
public final class ReadOnlyEviction implements SQLExceptionOverride {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyEviction.class);
    private static final String READ_ONLY_TRANSACTION = "25006";

    private final String poolName;
    private final Clock clock;
    private final long quietNanos;
    private final PoolMetrics metrics;
    private final AtomicLong lastEviction = new AtomicLong(Long.MIN_VALUE);
    private volatile HikariDataSource pool;

    /**
     * @param poolName the pool named in the log line
     * @param clock the source of time
     * @param quietPeriod the least time between two evictions of the whole pool
     * @param metrics where evictions are counted
     */
    public ReadOnlyEviction(String poolName, Clock clock, Duration quietPeriod, PoolMetrics metrics) {
        this.poolName = poolName;
        this.clock = clock;
        this.quietNanos = quietPeriod.toNanos();
        this.metrics = metrics;
    }

    /** Connects the hook to the pool it evicts from, once the pool exists. */
    public void attach(HikariDataSource pool) {
        this.pool = pool;
    }

    @java.lang.Override
    public Override adjudicate(SQLException failure) {
        if (!READ_ONLY_TRANSACTION.equals(failure.getSQLState())) {
            return Override.CONTINUE_EVICT;
        }
        long now = clock.nanoTime();
        long last = lastEviction.get();
        boolean due = last == Long.MIN_VALUE || now - last >= quietNanos;
        if (due && lastEviction.compareAndSet(last, now)) {
            evictAll();
        }
        return Override.MUST_EVICT;
    }

    private void evictAll() {
        HikariDataSource target = pool;
        HikariPoolMXBean bean = target == null ? null : target.getHikariPoolMXBean();
        if (bean == null) {
            return;
        }
        LOG.warn("Pool {}: the primary answered 'read-only transaction' (SQL state 25006), it was probably "
                + "demoted by a failover; evicting every connection so new ones reach the new primary", poolName);
        bean.softEvictConnections();
        metrics.eviction();
    }
}
