package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.resilience.core.Clock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts the primary pool's connections after a failover (HikariCP issue 2185), once per demotion,
 * then backing off. A statement that fails with SQL state {@code 25006} (read-only transaction) on a
 * primary connection that is NOT read-only on the client side means the server behind it refuses
 * writes: it was most likely demoted to a standby. Then every connection of the pool is soft-evicted
 * (idle ones at once, busy ones, the failing one included, when returned), so new connections reach
 * the new primary (with a multi-host URL and {@code targetServerType=primary}, or a DNS name that
 * moved).
 *
 * <p>Reconnecting does not help while the server that new connections reach is still read-only (the
 * failover is not complete, or there is no other server), so further 25006 failures evict nothing
 * until the backoff has passed: {@code initialBackoff} after the first eviction, doubling after each
 * eviction up to {@code maxBackoff}. The demotion counts as over, and the backoff starts afresh, once
 * no 25006 was seen for {@code maxBackoff}. So a pool of {@code n} connections opens at most about
 * {@code n} connections per eviction: {@code n} at once, {@code n} after 5 s, after 15 s, 35 s, 75 s,
 * then one eviction a minute, however many writes fail meanwhile.
 *
 * <p>A 25006 on a connection the application or a read-only unit of work made read-only
 * ({@link Connection#isReadOnly()}) is the work's own write in a read-only transaction: nothing is
 * evicted. HikariCP's own hook sees only the exception, not the connection, which is why the decision
 * is taken by the statement wrapper ({@link #readOnlyTransactionFailed(Connection)}).
 *
 * <p>Thread-safe.
 */
public final class ReadOnlyEviction {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyEviction.class);
    /** SQL state of a write refused in a read-only transaction. */
    public static final String READ_ONLY_TRANSACTION = "25006";

    private final String poolName;
    private final Clock clock;
    private final long initialBackoffNanos;
    private final long maxBackoffNanos;
    private final PoolMetrics metrics;
    private volatile Runnable softEvictAll = () -> { };

    /* guarded by this; only decisions, never blocking work, run under the lock */
    private boolean demoted;
    private long lastFailureNanos;
    private long nextEvictionNanos;
    private long backoffNanos;

    /**
     * @param poolName the pool named in the log line
     * @param clock the source of time
     * @param initialBackoff the least time between the first two evictions of a demotion
     * @param maxBackoff the longest time between evictions, and the quiet time that ends a demotion
     * @param metrics where evictions are counted
     */
    public ReadOnlyEviction(String poolName, Clock clock, Duration initialBackoff, Duration maxBackoff, PoolMetrics metrics) {
        this.poolName = poolName;
        this.clock = clock;
        this.initialBackoffNanos = initialBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.metrics = metrics;
    }

    /** Connects the hook to the pool it evicts from, once the pool exists. */
    public void attach(HikariDataSource pool) {
        attach(() -> {
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
        });
    }

    /** Connects the hook to what soft-evicts every connection of the pool. */
    void attach(Runnable softEvictAll) {
        this.softEvictAll = softEvictAll;
    }

    /**
     * Called when a statement on a primary connection failed with 25006: evicts the pool unless the
     * connection was read-only on the client side or the backoff of this demotion has not passed.
     *
     * @param connection the pool's connection the statement ran on
     */
    public void readOnlyTransactionFailed(Connection connection) {
        if (readOnlyOnClientSide(connection)) {
            LOG.debug("Pool {}: a write in a transaction made read-only by the application (SQL state 25006); "
                    + "not a failover, nothing evicted", poolName);
            return;
        }
        long now = clock.nanoTime();
        boolean first;
        long nextInNanos;
        synchronized (this) {
            first = !demoted || now - lastFailureNanos >= maxBackoffNanos;
            lastFailureNanos = now;
            if (first) {
                demoted = true;
                backoffNanos = initialBackoffNanos;
            } else if (now - nextEvictionNanos < 0) {
                return; // evicted recently: new connections reach the same read-only server
            }
            nextEvictionNanos = now + backoffNanos;
            nextInNanos = backoffNanos;
            backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
        }
        evictAll(first, nextInNanos / 1_000_000);
    }

    /** Whether the driver holds {@code connection} read-only (set by the application or a read-only unit). */
    static boolean readOnlyOnClientSide(Connection connection) {
        try {
            return connection.isReadOnly(); // the driver's own flag: no round trip
        } catch (SQLException e) {
            return false; // a closed connection cannot tell; treat the 25006 as the server's
        }
    }

    private void evictAll(boolean first, long nextInMillis) {
        if (first) {
            LOG.warn("Pool {}: the primary answered 'read-only transaction' (SQL state 25006) on a read-write "
                    + "connection, it was probably demoted by a failover; evicting every connection so new ones "
                    + "reach the new primary (again in {} ms at the earliest while it stays read-only)", poolName, nextInMillis);
        } else {
            LOG.info("Pool {}: the primary is still read-only; evicting every connection again (next in {} ms at the "
                    + "earliest)", poolName, nextInMillis);
        }
        softEvictAll.run();
        metrics.eviction();
    }
}
