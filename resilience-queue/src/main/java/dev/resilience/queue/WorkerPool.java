package dev.resilience.queue;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running side of one {@link TaskQueue}: a dispatcher thread claiming tasks for idle workers, a
 * listener thread on a dedicated {@code LISTEN} connection, a heartbeat thread, and the handler threads.
 */
final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    private static final Backoff RECONNECT = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5))
            .withJitter(Jitter.EQUAL);

    private final TaskQueue queue;
    private final String[] types;
    private final Semaphore idle;
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final ExecutorService handlers;
    private final ScheduledExecutorService heartbeat;
    private final Thread dispatcher;
    private final Thread listener;
    private volatile boolean claiming = true;
    private volatile boolean waitingForWorker;
    private volatile boolean closed;

    /** A claimed task; {@code attempt} fences every later update. */
    private record Claimed(long id, String type, byte[] payload, String key, int attempt, Instant createdAt,
            AttemptFailure previous) {
    }

    private record Running(int attempt, long deadlineNanos) {
    }

    WorkerPool(TaskQueue queue) {
        this.queue = queue;
        this.types = queue.handlers.keySet().toArray(new String[0]);
        this.idle = new Semaphore(queue.workers);
        this.handlers = Executors.newFixedThreadPool(queue.workers, threads("worker"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads("heartbeat"));
        this.dispatcher = threads("dispatcher").newThread(this::dispatch);
        this.listener = threads("listener").newThread(this::listen);
    }

    private ThreadFactory threads(String role) {
        AtomicInteger n = new AtomicInteger();
        String prefix = "queue-" + queue.sql.name + "-" + role;
        return r -> {
            Thread t = new Thread(r, role.equals("worker") ? prefix + "-" + n.incrementAndGet() : prefix);
            t.setDaemon(true);
            return t;
        };
    }

    void start() {
        long every = queue.heartbeat.toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        listener.start();
        dispatcher.start();
        LOG.info("queue {} started: {} workers for {}", queue.sql.name, queue.workers, queue.handlers.keySet());
    }

    boolean closed() {
        return closed;
    }

    int inFlight() {
        return running.size();
    }

    // ---- dispatcher

    private void dispatch() {
        int failures = 0;
        while (claiming) {
            int free = idle.drainPermits();
            if (free == 0) {
                waitingForWorker = true;
                if (idle.availablePermits() == 0 && claiming) {
                    LockSupport.parkNanos(queue.pollInterval.toNanos());
                }
                waitingForWorker = false;
                continue;
            }
            int want = Math.min(free, queue.batchSize);
            idle.release(free - want);
            List<Claimed> claimed;
            try {
                claimed = claim(want);
                failures = 0;
            } catch (SQLException | RuntimeException e) {
                idle.release(want);
                failures++;
                Duration wait = RECONNECT.delay(Math.min(failures, 30), Duration.ZERO);
                LOG.warn("queue {}: cannot claim tasks (failure {}), trying again in {} ms: {}", queue.sql.name,
                        failures, wait.toMillis(), e.toString());
                LockSupport.parkNanos(wait.toNanos());
                continue;
            }
            idle.release(want - claimed.size());
            for (Claimed task : claimed) {
                handlers.execute(() -> run(task));
            }
            if (claimed.size() < want && claiming) {
                // drained: wait for a NOTIFY, an expired lease or the safety-net poll
                LockSupport.parkNanos(queue.pollInterval.toNanos());
            }
        }
    }

    private void wake() {
        LockSupport.unpark(dispatcher);
    }

    private List<Claimed> claim(int limit) throws SQLException {
        List<Claimed> claimed = new ArrayList<>(limit);
        try (Connection c = queue.dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(queue.sql.claim())) {
                ps.setArray(1, c.createArrayOf("text", types));
                ps.setInt(2, limit);
                ps.setString(3, queue.owner);
                ps.setLong(4, queue.lease.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                                rs.getInt(5), rs.getTimestamp(6).toInstant(), DeadLetterQueue.failure(rs, 7)));
                    }
                }
            }
        }
        return claimed;
    }

    // ---- handlers

    private void run(Claimed task) {
        try {
            if (!claiming) {
                release(task);
                return;
            }
            TaskQueue.Registration registration = queue.handlers.get(task.type);
            TaskPolicy policy = registration.policy();
            if (task.attempt > policy.maxAttempts()) {
                // earlier attempts ended in lost leases (the worker died or hung): do not start another
                finish(task, AttemptOutcome.DEAD_LETTERED, Duration.ZERO, new IllegalStateException("attempt "
                        + task.attempt + " exceeds maxAttempts " + policy.maxAttempts() + " after lost leases"), null);
                return;
            }
            long start = queue.clock.nanoTime();
            running.put(task.id, new Running(task.attempt, start + policy.timeout().toNanos()));
            TaskContext context = new TaskContext(task.id, task.type, task.payload, task.key, task.attempt, task.previous,
                    queue.clock.now().plus(policy.timeout()), task.createdAt);
            Throwable error = null;
            try {
                registration.handler().handle(context);
            } catch (Throwable t) {
                error = t;
            }
            Duration took = Duration.ofNanos(queue.clock.nanoTime() - start);
            if (error == null) {
                finish(task, AttemptOutcome.SUCCEEDED, took, null, null);
            } else {
                Duration delay = policy.retryDelay(task.attempt, error);
                finish(task, delay == null ? AttemptOutcome.DEAD_LETTERED : AttemptOutcome.RETRIED, took, error, delay);
            }
            if (error instanceof Error && !(error instanceof AssertionError)) {
                throw (Error) error;
            }
        } finally {
            running.remove(task.id);
            idle.release();
            if (waitingForWorker) {
                wake();
            }
        }
    }

    /**
     * Records the outcome, trying again while the database is unreachable for up to a lease: after that the
     * task has been (or will be) redelivered, and the attempt fence makes a late write change nothing.
     */
    private void finish(Claimed task, AttemptOutcome outcome, Duration took, Throwable error, Duration delay) {
        long giveUp = System.nanoTime() + queue.lease.toNanos();
        for (int failures = 1; ; failures++) {
            try {
                boolean recorded = record(task, outcome, error, delay);
                AttemptOutcome reported = recorded ? outcome : AttemptOutcome.LEASE_LOST;
                if (!recorded) {
                    LOG.warn("queue {}: {} #{} attempt {} finished ({}) after its lease was lost; it is or was redelivered",
                            queue.sql.name, task.type, task.id, task.attempt, outcome);
                } else if (outcome == AttemptOutcome.DEAD_LETTERED) {
                    LOG.warn("queue {}: {} #{} dead-lettered after attempt {}: {}", queue.sql.name, task.type, task.id,
                            task.attempt, String.valueOf(error));
                }
                notifyListeners(task.type, reported, took);
                return;
            } catch (SQLException | RuntimeException e) {
                if (!isConnectionFailure(e) || System.nanoTime() - giveUp > 0 || Thread.currentThread().isInterrupted()) {
                    LOG.warn("queue {}: cannot record {} of {} #{} attempt {}; it is redelivered when its lease expires: {}",
                            queue.sql.name, outcome, task.type, task.id, task.attempt, e.toString());
                    notifyListeners(task.type, AttemptOutcome.LEASE_LOST, took);
                    return;
                }
                LockSupport.parkNanos(RECONNECT.delay(Math.min(failures, 30), Duration.ZERO).toNanos());
            }
        }
    }

    private boolean record(Claimed task, AttemptOutcome outcome, Throwable error, Duration delay) throws SQLException {
        try (Connection c = queue.dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (outcome == AttemptOutcome.SUCCEEDED) {
                try (PreparedStatement ps = c.prepareStatement(queue.sql.complete())) {
                    ps.setLong(1, task.id);
                    ps.setInt(2, task.attempt);
                    ps.setLong(3, task.id);
                    ps.setInt(4, task.attempt);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            }
            boolean retry = outcome == AttemptOutcome.RETRIED;
            try (PreparedStatement ps = c.prepareStatement(retry ? queue.sql.retry() : queue.sql.bury())) {
                int i = 1;
                if (retry) {
                    ps.setLong(i++, delay.toMillis());
                }
                ps.setString(i++, error.getClass().getName());
                ps.setString(i++, truncate(error.getMessage(), AttemptFailure.MAX_MESSAGE));
                ps.setString(i++, truncate(stackTrace(error), AttemptFailure.MAX_STACK));
                ps.setLong(i++, task.id);
                ps.setInt(i, task.attempt);
                return ps.executeUpdate() == 1;
            }
        }
    }

    private void release(Claimed task) {
        try (Connection c = queue.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(queue.sql.release())) {
            c.setAutoCommit(true);
            ps.setLong(1, task.id);
            ps.setInt(2, task.attempt);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("queue {}: cannot give back {} #{}; it is redelivered when its lease expires: {}", queue.sql.name,
                    task.type, task.id, e.toString());
        }
    }

    private void notifyListeners(String type, AttemptOutcome outcome, Duration took) {
        for (QueueListener l : queue.listeners) {
            try {
                l.onAttempt(type, outcome, took);
            } catch (RuntimeException e) {
                LOG.warn("queue listener {} failed", l, e);
            }
        }
    }

    /** Connection lost or refused, server shutting down or out of resources: worth trying again. */
    static boolean isConnectionFailure(Exception e) {
        if (!(e instanceof SQLException)) {
            return false;
        }
        String state = ((SQLException) e).getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

    static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    // ---- heartbeat

    private void beat() {
        long now = queue.clock.nanoTime();
        List<Long> alive = new ArrayList<>();
        running.forEach((id, r) -> {
            if (now - r.deadlineNanos < 0) {
                alive.add(id);
            }
        });
        try (Connection c = queue.dataSource.getConnection()) {
            c.setAutoCommit(true);
            if (!alive.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(queue.sql.heartbeat())) {
                    ps.setLong(1, queue.lease.toMillis());
                    Array ids = c.createArrayOf("bigint", alive.toArray());
                    ps.setArray(2, ids);
                    ps.setString(3, queue.owner);
                    ps.executeUpdate();
                }
            }
            if (claiming) {
                try (Statement s = c.createStatement()) {
                    int expired = s.executeUpdate(queue.sql.expireLeases());
                    if (expired > 0) {
                        LOG.warn("queue {}: {} expired leases returned to the queue", queue.sql.name, expired);
                        wake();
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("queue {}: heartbeat failed: {}", queue.sql.name, e.toString());
        }
    }

    // ---- listener

    private void listen() {
        int failures = 0;
        while (claiming) {
            try (Connection c = queue.dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute(queue.sql.listen());
                }
                if (!c.isWrapperFor(PGConnection.class)) {
                    LOG.warn("queue {}: the DataSource's connections do not unwrap to pgjdbc's PGConnection, so there is"
                            + " no LISTEN; new tasks are found by the poll every {}", queue.sql.name, queue.pollInterval);
                    return;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                failures = 0;
                wake(); // notifications sent while not listening are lost: look once
                while (claiming) {
                    PGNotification[] received = pg.getNotifications(500);
                    if (received != null && received.length > 0) {
                        wake();
                    }
                }
                unlisten(c);
            } catch (SQLException | RuntimeException e) {
                if (!claiming) {
                    return;
                }
                failures++;
                Duration wait = RECONNECT.delay(Math.min(failures, 30), Duration.ZERO);
                LOG.warn("queue {}: LISTEN connection lost (failure {}), reconnecting in {} ms: {}", queue.sql.name,
                        failures, wait.toMillis(), e.toString());
                LockSupport.parkNanos(wait.toNanos());
            }
        }
    }

    /** A pooled connection goes back to the pool: it must not keep listening. */
    private static void unlisten(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute("UNLISTEN *");
        } catch (SQLException ignored) {
            // a broken connection listens to nothing
        }
    }

    // ---- shutdown

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        claiming = false;
        wake();
        join(dispatcher);
        join(listener);
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(queue.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("queue {}: {} handlers still running after {}; interrupting them, their tasks are redelivered"
                        + " when the lease expires", queue.sql.name, running.size(), queue.shutdownTimeout);
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        LOG.info("queue {} stopped", queue.sql.name);
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
