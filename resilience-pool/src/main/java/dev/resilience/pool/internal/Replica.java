package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.core.Clock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica pool and what is known of its health: its replication lag is measured with a
 * pluggable query (seconds behind the primary; NULL counts as no lag, so a database that is not a
 * standby can stand in for one) at most once per check interval, by whichever caller first finds the
 * last reading stale; the others use the last reading meanwhile. A replica is usable when the last
 * check succeeded and the lag was within the limit. A connection failure on the replica marks it
 * unusable until the next check.
 *
 * <p>Thread-safe.
 */
public final class Replica implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replica.class);
    private static final int LAG_QUERY_TIMEOUT_SECONDS = 2;

    private final HikariDataSource pool;
    private final String lagQuery;
    private final double maxLagSeconds;
    private final long checkIntervalNanos;
    private final Clock clock;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile long checkedAt;
    private volatile boolean checkedOnce;
    private volatile boolean usable;
    private volatile double lagSeconds = Double.NaN;
    private volatile @Nullable String problem = "not checked yet";

    /**
     * @param pool the replica's pool
     * @param lagQuery a query returning the lag in seconds as its single value
     * @param maxLag the largest acceptable lag
     * @param checkInterval how long a lag reading is trusted
     * @param clock the source of time
     */
    public Replica(HikariDataSource pool, String lagQuery, Duration maxLag, Duration checkInterval, Clock clock) {
        this.pool = pool;
        this.lagQuery = lagQuery;
        this.maxLagSeconds = maxLag.toNanos() / 1e9;
        this.checkIntervalNanos = checkInterval.toNanos();
        this.clock = clock;
    }

    /** The replica pool's name. */
    public String name() {
        return pool.getPoolName();
    }

    /** True when read-only work may go here; checks the lag first when the last reading is stale. */
    public boolean usable() {
        long now = clock.nanoTime();
        if ((!checkedOnce || now - checkedAt >= checkIntervalNanos) && checking.compareAndSet(false, true)) {
            try {
                check();
            } finally {
                checkedAt = clock.nanoTime();
                checkedOnce = true;
                checking.set(false);
            }
        }
        return usable;
    }

    /** A connection from the replica pool. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Marks the replica unusable until the next check, after a connection failure. */
    public void failed(SQLException failure) {
        if (usable) {
            LOG.warn("Replica {} failed ({}), read-only work goes to the primary until the next check",
                    name(), failure.getMessage());
        }
        usable = false;
        problem = "connection failed: " + failure.getMessage();
        checkedAt = clock.nanoTime();
        checkedOnce = true;
    }

    /** What the health check shows of this replica. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("usable", usable);
        details.put("lagSeconds", Double.isNaN(lagSeconds) ? null : lagSeconds);
        if (!usable) {
            details.put("problem", problem);
        }
        return details;
    }

    private void check() {
        boolean wasUsable = usable;
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(LAG_QUERY_TIMEOUT_SECONDS);
            double lag;
            try (ResultSet rs = statement.executeQuery(lagQuery)) {
                lag = rs.next() ? rs.getDouble(1) : 0; // getDouble gives 0 for NULL: no lag known
            }
            lagSeconds = lag;
            usable = lag <= maxLagSeconds;
            problem = usable ? null : "replication lag " + lag + " s is over " + maxLagSeconds + " s";
        } catch (SQLException e) {
            usable = false;
            problem = "lag check failed: " + e.getMessage();
        }
        if (wasUsable && !usable) {
            LOG.warn("Replica {} is not usable ({}), read-only work goes to the primary", name(), problem);
        } else if (!wasUsable && usable && checkedOnce) {
            LOG.info("Replica {} is usable again (lag {} s)", name(), lagSeconds);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
