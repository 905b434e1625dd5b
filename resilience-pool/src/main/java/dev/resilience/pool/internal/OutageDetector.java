package dev.resilience.pool.internal;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Clock;
import dev.resilience.core.Scheduler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an outage of the database (connections refused, reset, or no answer) from a busy pool, and
 * makes callers fail fast during one.
 *
 * <ul>
 *   <li><b>Outage signal.</b> A physical connect that fails with a connection-class SQL state (08xxx,
 *   57P01-57P03, a connect timeout) means the server is gone: the acquisition breaker is moved to
 *   FORCED_OPEN at once, so new callers are rejected without waiting, and the pool's physical
 *   connections are aborted, so statements blocked on a silent server fail at once (and are retried or
 *   rejected) instead of waiting for the operating system.</li>
 *   <li><b>Suspicion.</b> A statement that loses its connection (08xxx, 57P01/57P02; also what a single
 *   {@code pg_terminate_backend} gives), or no progress for a tick ({@link #TICK}: an acquisition or a
 *   statement was in progress and none finished since, as with a silent server), only asks for
 *   a probe: one fresh physical connection, on one background thread, never more than one at a time.
 *   Its failure is the outage signal; its success means the pool is only busy.</li>
 *   <li><b>Short waits.</b> A caller waits for a connection in slices of {@link #SLICE}, up to the
 *   connection timeout in all; between slices it checks for an outage, so callers already waiting
 *   when the outage is found are released within a slice.</li>
 *   <li><b>Recovery.</b> While down, the probe runs every {@code probeInterval}; the first success
 *   closes the breaker. Callers never probe, so there is no herd of reconnects: the probe is one
 *   connection, and HikariCP refills the pool on its single connection-adder thread.</li>
 *   <li><b>Saturation.</b> A caller that waited the whole connection timeout while the database was
 *   reachable gets HikariCP's timeout exception; it is counted as an acquire timeout, and does not
 *   trip the breaker (the default breaker records connection-class failures only).</li>
 * </ul>
 *
 * <p>Thread-safe. The hot path costs one clock read and two striped counter increments per acquisition,
 * and two increments per statement.
 */
public final class OutageDetector implements AutoCloseable {

    /** How long a caller waits in HikariCP before it checks for an outage again. */
    static final Duration SLICE = Duration.ofMillis(250);
    /** How often progress is checked: an acquisition in progress over a whole tick asks for a probe. */
    static final Duration TICK = Duration.ofMillis(100);
    /**
     * A probe that has not connected within this time counts as an outage signal (pgjdbc's connect and
     * login timeouts are whole seconds, so the probe itself may go on for a second): a server that takes
     * longer than this to accept one connection is treated as gone until a probe connects again.
     */
    static final Duration PROBE_ANSWER = Duration.ofMillis(600);

    private static final Logger LOG = LoggerFactory.getLogger(OutageDetector.class);
    /** Set while a caller waits in its last slice (never on the path where a connection is idle). */
    private static final ThreadLocal<Boolean> LAST_SLICE = new ThreadLocal<>();

    /** Borrows a pooled connection, waiting at most the given time (HikariCP's {@code getConnection(long)}). */
    @FunctionalInterface
    public interface Borrow {
        Connection borrow(long timeoutMillis) throws SQLException;
    }

    /** Opens one fresh physical connection to the database and closes it; throws when it cannot. */
    @FunctionalInterface
    public interface Probe {
        void connect() throws SQLException;
    }

    private final String poolName;
    private final CircuitBreaker breaker;
    private final Borrow borrow;
    private final long timeoutMillis;
    private final long sliceMillis;
    private final Probe probe;
    private final Executor probeExecutor;
    private final Scheduler scheduler;
    private final Clock clock;
    private final long probeIntervalNanos;
    private final PoolMetrics metrics;
    private final Runnable abortConnections;

    private final LongAdder started = new LongAdder();
    private final LongAdder finished = new LongAdder();
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Numbers the probes, so an overdue check judges the probe it was scheduled for. */
    private final java.util.concurrent.atomic.AtomicLong probes = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean down;
    /** Counts the recoveries, so a connect that began before the last one cannot start a new outage. */
    private volatile long epoch;
    private volatile boolean closed;
    /** Touched by the tick only. */
    private long startedAtLastTick;
    private long finishedAtLastTick;
    /** No probe starts before this time (clock nanos): at most one per probe interval. */
    private volatile long nextProbeNanos;

    /**
     * @param poolName the pool named in log lines
     * @param breaker the acquisition breaker, forced open during an outage
     * @param borrow HikariCP's borrow with a timeout
     * @param connectionTimeout how long a caller waits for a connection in all
     * @param probe opens one fresh physical connection
     * @param probeExecutor runs probes (they block up to the probe's connect timeout)
     * @param scheduler runs the progress tick
     * @param clock the source of time
     * @param probeInterval the pause between probes while the database is down
     * @param metrics where acquire timeouts and outages are counted
     * @param abortConnections aborts the pool's physical connections when an outage begins
     */
    public OutageDetector(String poolName, CircuitBreaker breaker, Borrow borrow, Duration connectionTimeout,
                          Probe probe, Executor probeExecutor, Scheduler scheduler, Clock clock,
                          Duration probeInterval, PoolMetrics metrics, Runnable abortConnections) {
        this.poolName = poolName;
        this.breaker = breaker;
        this.borrow = borrow;
        this.timeoutMillis = connectionTimeout.toMillis();
        this.sliceMillis = Math.min(SLICE.toMillis(), timeoutMillis);
        this.probe = probe;
        this.probeExecutor = probeExecutor;
        this.scheduler = scheduler;
        this.clock = clock;
        this.probeIntervalNanos = probeInterval.toNanos();
        this.metrics = metrics;
        this.abortConnections = abortConnections;
        this.nextProbeNanos = clock.nanoTime();
        scheduler.schedule(this::tick, TICK);
    }

    /**
     * The default acquisition breaker: opens when half of the last 20 acquisitions (at least 5) failed
     * with a connection failure, rejects for 5 s, then lets one probe through. It records connection
     * failures only, so a busy pool's timeouts never open it; the detector forces it open at once on an
     * outage signal.
     */
    public static CircuitBreaker defaultBreaker(String poolName, Clock clock) {
        return CircuitBreaker.builder(poolName + "-acquisition")
                .failureRateThreshold(50).countBasedWindow(20).minimumNumberOfCalls(5)
                .openDuration(Duration.ofSeconds(5)).permittedCallsInHalfOpen(1)
                .recordIf(PostgresTransientStates::isConnectionFailureInChain)
                .clock(clock).build();
    }

    /** True from an outage signal until a probe reaches the database again. */
    public boolean isDown() {
        return down;
    }

    /**
     * A pooled connection, waited for in slices up to the connection timeout.
     *
     * @throws dev.resilience.core.CallNotPermittedException when an outage is found while waiting
     * @throws SQLException HikariCP's: its timeout exception when the whole connection timeout passed
     */
    public Connection acquire() throws SQLException {
        started.increment();
        try {
            long start = clock.nanoTime();
            boolean last = sliceMillis >= timeoutMillis;
            try {
                return last ? borrowLast(sliceMillis) : borrow.borrow(sliceMillis);
            } catch (SQLTransientConnectionException timeout) {
                return waitMore(start, timeout);
            }
        } finally {
            finished.increment();
        }
    }

    /** After a first slice without a connection: counted as waiting, further slices until the timeout. */
    private Connection waitMore(long start, SQLTransientConnectionException firstTimeout) throws SQLException {
        waiting.incrementAndGet();
        try {
            SQLTransientConnectionException timeout = firstTimeout;
            while (true) {
                if (down) {
                    breaker.acquirePermission(); // throws the breaker's cheap rejection while it is forced open
                }
                long left = timeoutMillis - (clock.nanoTime() - start) / 1_000_000;
                if (left <= 0) {
                    if (!down && !PostgresTransientStates.isConnectionFailureInChain(timeout)) {
                        metrics.acquireTimeout();
                    }
                    throw timeout;
                }
                long wait = Math.min(sliceMillis, left);
                try {
                    return wait >= left ? borrowLast(wait) : borrow.borrow(wait);
                } catch (SQLTransientConnectionException next) {
                    timeout = next;
                }
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Callers that have waited longer than one slice. HikariCP's own count of waiting threads misses a
     * caller for the moment between two of its slices; this count does not.
     */
    public int waitingCallers() {
        return waiting.get();
    }

    /** A statement starts on a pooled connection: work in progress, for the progress tick. */
    public void operationStarted() {
        started.increment();
    }

    /** A statement started with {@link #operationStarted()} ended, however. */
    public void operationFinished() {
        finished.increment();
    }

    private Connection borrowLast(long wait) throws SQLException {
        LAST_SLICE.set(Boolean.TRUE);
        try {
            return borrow.borrow(wait);
        } finally {
            LAST_SLICE.remove();
        }
    }

    /**
     * True while the current thread waits in its last slice, so a timeout now is the caller's own; the
     * timeouts of earlier slices are not (they only give the caller a chance to look for an outage).
     */
    static boolean inLastSlice() {
        return LAST_SLICE.get() != null;
    }

    /** Taken before a physical connect and handed back with its failure ({@link #connectFailed(SQLException, long)}). */
    public long epoch() {
        return epoch;
    }

    /** A physical connect that began now failed: see {@link #connectFailed(SQLException, long)}. */
    public void connectFailed(SQLException failure) {
        connectFailed(failure, epoch);
    }

    /**
     * A physical connect (HikariCP filling the pool) failed: a connection-class failure is an outage,
     * unless the connect began before the database was last found reachable again (a connect to a
     * silent server can take HikariCP's whole login timeout to fail, long after the recovery).
     *
     * @param epochAtStart {@link #epoch()} when the connect began
     */
    public void connectFailed(SQLException failure, long epochAtStart) {
        if (epochAtStart == epoch && PostgresTransientStates.isConnectionFailureInChain(failure)) {
            markDown(failure);
        }
    }

    /** A statement on a pooled connection lost its connection: ask for a probe. */
    public void connectionBroke() {
        if (!down) {
            requestProbe();
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        try {
            long nowStarted = started.sum();
            long nowFinished = finished.sum();
            boolean stalled = startedAtLastTick > finishedAtLastTick && nowFinished == finishedAtLastTick;
            startedAtLastTick = nowStarted;
            finishedAtLastTick = nowFinished;
            if (down || stalled) {
                requestProbe();
            }
        } finally {
            scheduler.schedule(this::tick, TICK);
        }
    }

    private void requestProbe() {
        long now = clock.nanoTime();
        if (now - nextProbeNanos < 0 || !probing.compareAndSet(false, true)) {
            return;
        }
        nextProbeNanos = now + probeIntervalNanos;
        long probe = probes.incrementAndGet();
        try {
            probeExecutor.execute(this::probe);
        } catch (RejectedExecutionException e) {
            probing.set(false); // closing
            return;
        }
        scheduler.schedule(() -> probeOverdue(probe), PROBE_ANSWER);
    }

    /** The probe numbered {@code probe} has had {@link #PROBE_ANSWER}: still connecting means no answer. */
    private void probeOverdue(long probe) {
        if (probing.get() && probes.get() == probe && !down) {
            markDown(new SQLTransientConnectionException("the database did not accept a connection within "
                    + PROBE_ANSWER.toMillis() + " ms", "08001"));
        }
    }

    private void probe() {
        try {
            probe.connect();
            markUp();
        } catch (SQLException e) {
            if (PostgresTransientStates.isConnectionFailureInChain(e)) {
                markDown(e);
            } else {
                LOG.debug("Pool {}: outage probe failed without a connection failure: {}", poolName, e.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Pool {}: outage probe failed", poolName, e);
        } finally {
            probing.set(false);
        }
    }

    private synchronized void markDown(SQLException cause) {
        if (down || closed) {
            return;
        }
        down = true;
        breaker.transitionTo(CircuitBreaker.State.FORCED_OPEN);
        metrics.outage();
        LOG.warn("Pool {}: the database is unreachable ({} [{}]); callers are rejected at once until a probe "
                + "connects again", poolName, cause.getMessage(), cause.getSQLState());
        abortConnections.run(); // statements blocked on a silent server fail now, not when the OS gives up
    }

    private synchronized void markUp() {
        if (!down) {
            return;
        }
        epoch++; // only the probe thread recovers: no lost update
        down = false;
        breaker.transitionTo(CircuitBreaker.State.CLOSED);
        LOG.info("Pool {}: the database is reachable again; connections are accepted", poolName);
    }

    /** Stops the progress tick; a probe in flight finishes on its own. */
    @Override
    public void close() {
        closed = true;
    }
}
