package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.resilience.core.Clock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts the primary pool's connections after a failover (HikariCP issue 2185). A statement that
 * fails with SQL state {@code 25006} (read-only transaction) on a primary connection that is NOT
 * read-only on the client side means the server behind it refuses writes: it was most likely
 * demoted to a standby. Then, at most once per {@code quietPeriod}, every connection of the pool is
 * soft-evicted (idle ones at once, busy ones, the failing one included, when returned), so new
 * connections reach the new primary (with a multi-host URL and {@code targetServerType=primary}, or
 * a DNS name that moved). During the quiet period that follows, HikariCP is also told to evict each
 * further connection that answers 25006 ({@link #adjudicate(SQLException)}), since new connections
 * may still reach the old server until the failover completes.
 *
 * <p>A 25006 on a connection the application or a read-only unit of work made read-only
 * ({@link Connection#isReadOnly()}) is the work's own write in a read-only transaction: nothing is
 * evicted. HikariCP's hook sees only the exception, not the connection, which is why the decision
 * is taken by the statement wrapper ({@link #readOnlyTransactionFailed(Connection)}) and the hook
 * only acts inside a confirmed failover window.
 *
 * <p>Thread-safe.
 */
public final class ReadOnlyEviction implements SQLExceptionOverride {

    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyEviction.class);
    /** SQL state of a write refused in a read-only transaction. */
    public static final String READ_ONLY_TRANSACTION = "25006";

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

    /**
     * HikariCP's hook: evicts a connection that answers 25006 only within the quiet period after a
     * failover was concluded; otherwise leaves the decision to HikariCP (which keeps it).
     */
    @java.lang.Override
    public Override adjudicate(SQLException failure) {
        if (READ_ONLY_TRANSACTION.equals(failure.getSQLState()) && inFailoverWindow()) {
            return Override.MUST_EVICT;
        }
        return Override.CONTINUE_EVICT;
    }

    /**
     * Called when a statement on a primary connection failed with 25006: evicts the pool unless the
     * connection was read-only on the client side.
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
        long last = lastEviction.get();
        boolean due = last == Long.MIN_VALUE || now - last >= quietNanos;
        if (due && lastEviction.compareAndSet(last, now)) {
            evictAll();
        }
    }

    /** Whether the driver holds {@code connection} read-only (set by the application or a read-only unit). */
    static boolean readOnlyOnClientSide(Connection connection) {
        try {
            return connection.isReadOnly(); // the driver's own flag: no round trip
        } catch (SQLException e) {
            return false; // a closed connection cannot tell; treat the 25006 as the server's
        }
    }

    private boolean inFailoverWindow() {
        long last = lastEviction.get();
        return last != Long.MIN_VALUE && clock.nanoTime() - last < quietNanos;
    }

    private void evictAll() {
        HikariDataSource target = pool;
        HikariPoolMXBean bean = target == null ? null : target.getHikariPoolMXBean();
        if (bean == null) {
            return;
        }
        LOG.warn("Pool {}: the primary answered 'read-only transaction' (SQL state 25006) on a read-write "
                + "connection, it was probably demoted by a failover; evicting every connection so new ones "
                + "reach the new primary", poolName);
        bean.softEvictConnections();
        metrics.eviction();
    }
}
