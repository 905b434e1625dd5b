package dev.resilience.pool.internal;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The health of one pool: active, idle, pending, total and maximum connections, replica state, and a
 * JDBC4 {@link Connection#isValid(int)} on one pooled connection (never a query). DOWN when the
 * acquisition breaker is open or validation fails; DEGRADED when the pool is saturated (every
 * connection busy) or more threads wait for a connection than the threshold; UP otherwise. A
 * saturated pool, or one with a queue over the threshold, is not validated, since borrowing would
 * only wait in the queue.
 *
 * <p>Thread-safe. Borrowing the connection can wait up to the pool's connection timeout when the
 * server hangs; run it under the health registry's timeout.
 */
public final class PoolHealthCheck implements HealthCheck {

    private final HikariDataSource pool;
    private final BooleanSupplier breakerOpen;
    private final IntSupplier waitingCallers;
    private final int pendingThreshold;
    private final int validationTimeoutSeconds;
    private final List<Replica> replicas;
    private final Clock clock;

    /**
     * @param pool the primary pool
     * @param breakerOpen true while the acquisition breaker rejects calls
     * @param waitingCallers callers waiting longer than one wait slice (HikariCP's count misses them between slices)
     * @param pendingThreshold waiting threads above this make the pool DEGRADED
     * @param validationTimeout the validation's timeout (whole seconds, at least one)
     * @param replicas the replicas, shown in the details
     * @param clock the source of time for the check's duration
     */
    public PoolHealthCheck(HikariDataSource pool, BooleanSupplier breakerOpen, IntSupplier waitingCallers, int pendingThreshold,
                           Duration validationTimeout, List<Replica> replicas, Clock clock) {
        this.pool = pool;
        this.breakerOpen = breakerOpen;
        this.waitingCallers = waitingCallers;
        this.pendingThreshold = pendingThreshold;
        this.validationTimeoutSeconds = (int) Math.max(1, validationTimeout.toSeconds());
        this.replicas = replicas;
        this.clock = clock;
    }

    @Override
    public HealthCheckResult check() {
        long start = clock.nanoTime();
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        if (bean == null) {
            return HealthCheckResult.down("pool " + pool.getPoolName() + " is closed");
        }
        int active = bean.getActiveConnections();
        int pending = Math.max(bean.getThreadsAwaitingConnection(), waitingCallers.getAsInt());
        int max = pool.getMaximumPoolSize();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", active);
        details.put("idle", bean.getIdleConnections());
        details.put("pending", pending);
        details.put("total", bean.getTotalConnections());
        details.put("max", max);
        if (!replicas.isEmpty()) {
            Map<String, Object> replicaDetails = new LinkedHashMap<>();
            for (Replica replica : replicas) {
                replicaDetails.put(replica.name(), replica.details());
            }
            details.put("replicas", replicaDetails);
        }
        HealthCheckResult result = assess(active, pending, max);
        return result.withDetails(details).withDuration(Duration.ofNanos(clock.nanoTime() - start));
    }

    private HealthCheckResult assess(int active, int pending, int max) {
        if (breakerOpen.getAsBoolean()) {
            return HealthCheckResult.down("connection acquisition breaker is open: the database is unreachable");
        }
        if (pending > pendingThreshold) {
            return HealthCheckResult.degraded(pending + " threads wait for a connection (threshold " + pendingThreshold
                    + "), " + active + " of " + max + " connections busy");
        }
        if (active >= max) {
            return HealthCheckResult.degraded("pool saturated: all " + max + " connections busy, " + pending + " waiting");
        }
        try (Connection connection = pool.getConnection()) {
            if (!connection.isValid(validationTimeoutSeconds)) {
                return HealthCheckResult.down("connection validation failed within " + validationTimeoutSeconds + " s");
            }
        } catch (SQLException e) {
            return HealthCheckResult.down("cannot get a valid connection: " + e.getMessage());
        }
        return HealthCheckResult.up();
    }
}
