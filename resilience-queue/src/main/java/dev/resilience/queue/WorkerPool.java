package dev.resilience.queue;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The running side of one {@link TaskQueue}: a dispatcher thread claiming tasks in batches a little ahead of the
 * workers, a listener thread on a dedicated {@code LISTEN} connection, the handler threads, a completer thread
 * recording successes in batches, and a heartbeat thread.
 *
 * <p>Round trips per task under load: a claim takes up to {@code batchSize} tasks while the handlers work on the
 * previous ones, and the completer records every success that finished meanwhile in one statement, so a no-op
 * task costs about {@code 2 / batchSize} statements. A task is owned (and its lease extended) from its claim until
 * its outcome is recorded.
 */
final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    private static final Backoff RECONNECT = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5))
            .withJitter(Jitter.EQUAL);
    /** Sentinel deadline of an owned task that is not running a handler (queued, or its success not yet recorded). */
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    private static final Claimed STOP = new Claimed(-1, "", new byte[0], null, 0, Instant.EPOCH, null);
    private static final Done FLUSHED = new Done(STOP, Duration.ZERO, 0);

    private final TaskQueue queue;
    private final String[] types;
    /** Claimed, not yet started. */
    private final LinkedBlockingQueue<Claimed> ready = new LinkedBlockingQueue<>();
    /** Every task this instance holds a lease on: id to the handler's deadline (nanos) or {@link #NO_DEADLINE}. */
    private final Map<Long, Long> owned = new ConcurrentHashMap<>();
    /** Successes waiting for the completer. */
    private final LinkedBlockingQueue<Done> succeeded = new LinkedBlockingQueue<>();
    private final AtomicInteger busy = new AtomicInteger();
    /** Claimed tasks whose handler has not finished (waiting in {@link #ready} or running). */
    private final AtomicInteger held = new AtomicInteger();
    /** Serialises this instance's multi-row writes (heartbeat, batch completion, release), which could deadlock. */
    private final ReentrantLock writes = new ReentrantLock();
    private final ExecutorService handlers;
    private final ScheduledExecutorService heartbeat;
    private final Thread dispatcher;
    private final Thread listener;
    private final Thread completer;
    private volatile boolean claiming = true;
    private volatile boolean waitingForWorkers;
    private volatile boolean closed;
    private long lastRetentionNanos;

    /** A claimed task; {@code attempt} fences every later update. */
    private record Claimed(long id, String type, byte[] payload, @Nullable String key, int attempt,
            Instant createdAt, @Nullable AttemptFailure previous) {
    }

    /** A success to record; {@code giveUpNanos} (System.nanoTime) ends retries on connection failures. */
    private record Done(Claimed task, Duration took, long giveUpNanos) {
    }

    WorkerPool(TaskQueue queue) {
        this.queue = queue;
        this.types = queue.handlers.keySet().toArray(new String[0]);
        this.handlers = Executors.newFixedThreadPool(queue.workers, threads("worker"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(threads("heartbeat"));
        this.dispatcher = threads("dispatcher").newThread(this::dispatch);
        this.listener = threads("listener").newThread(this::listen);
        this.completer = threads("completer").newThread(this::complete);
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
        lastRetentionNanos = System.nanoTime();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        for (int i = 0; i < queue.workers; i++) {
            handlers.execute(this::work);
        }
        completer.start();
        listener.start();
        dispatcher.start();
        LOG.info("queue {} started: {} workers for {}", queue.sql.name, queue.workers, queue.handlers.keySet());
    }

    boolean closed() {
        return closed;
    }

    int inFlight() {
        return busy.get();
    }

    // ---- dispatcher

    /**
     * Keeps up to {@code workers + batchSize} tasks in hand: claims when fewer than {@code workers} wait to start,
     * so the workers never wait for a claim under load, and sleeps until a NOTIFY, the earliest run-at time of a
     * ready task, an expired lease or the poll when a claim finds fewer than it asked for.
     */
    private void dispatch() {
        int failures = 0;
        while (claiming) {
            int room = queue.workers + queue.batchSize - held.get();
            if (ready.size() >= queue.workers || room <= 0) {
                waitingForWorkers = true;
                if ((ready.size() >= queue.workers || queue.workers + queue.batchSize - held.get() <= 0) && claiming) {
                    LockSupport.parkNanos(queue.pollInterval.toNanos());
                }
                waitingForWorkers = false;
                continue;
            }
            int want = Math.min(room, queue.batchSize);
            Claim claim;
            try {
                claim = claim(want);
                failures = 0;
            } catch (SQLException | RuntimeException e) {
                failures++;
                Duration wait = RECONNECT.delay(Math.min(failures, 30), Duration.ZERO);
                LOG.warn("queue {}: cannot claim tasks (failure {}), trying again in {} ms: {}", queue.sql.name,
                        failures, wait.toMillis(), e.toString());
                LockSupport.parkNanos(wait.toNanos());
                continue;
            }
            held.addAndGet(claim.tasks.size());
            for (Claimed task : claim.tasks) {
                owned.put(task.id, NO_DEADLINE);
                ready.add(task);
            }
            if (claim.tasks.size() < want && claiming) {
                // drained: wait for a NOTIFY, the next run-at time, an expired lease or the safety-net poll
                long sleep = claim.nextDueMillis == null ? queue.pollInterval.toNanos()
                        : Math.min(queue.pollInterval.toNanos(), TimeUnit.MILLISECONDS.toNanos(claim.nextDueMillis));
                if (sleep <= 0 && claim.tasks.isEmpty()) {
                    // due tasks are left but all locked (other instances are claiming them): do not spin
                    sleep = TimeUnit.MILLISECONDS.toNanos(10);
                }
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            }
        }
    }

    private void wake() {
        LockSupport.unpark(dispatcher);
    }

    /**
     * Claims up to {@code limit} tasks and, in the same round trip and transaction, asks how many milliseconds
     * (by the database's clock) remain until the earliest ready task left is due: null when none is left.
     */
    private Claim claim(int limit) throws SQLException {
        List<Claimed> claimed = new ArrayList<>(limit);
        Long nextDue;
        try (Connection c = queue.dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(queue.sql.claim() + "; " + queue.sql.nextDue())) {
                ps.setArray(1, c.createArrayOf("text", types));
                ps.setInt(2, limit);
                ps.setString(3, queue.owner);
                ps.setLong(4, queue.lease.toMillis());
                ps.setArray(5, c.createArrayOf("text", types));
                ps.execute();
                try (ResultSet rs = ps.getResultSet()) {
                    while (rs.next()) {
                        claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getString(4),
                                rs.getInt(5), rs.getTimestamp(6).toInstant(), DeadLetterQueue.failure(rs, 7)));
                    }
                }
                ps.getMoreResults();
                try (ResultSet rs = ps.getResultSet()) {
                    rs.next();
                    long millis = rs.getLong(1);
                    nextDue = rs.wasNull() ? null : millis;
                }
            }
        }
        return new Claim(claimed, nextDue);
    }

    private record Claim(List<Claimed> tasks, @Nullable Long nextDueMillis) {
    }

    // ---- handlers

    /** One worker thread: runs claimed tasks until {@link #close()} hands it {@link #STOP}. */
    private void work() {
        while (true) {
            Claimed task;
            try {
                task = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) { // the sentinel itself, by identity
                return;
            }
            if (waitingForWorkers && ready.size() < queue.workers) {
                wake();
            }
            if (!claiming) {
                release(List.of(task));
                held.decrementAndGet();
                continue;
            }
            busy.incrementAndGet();
            try {
                run(task);
            } catch (RuntimeException | Error e) {
                LOG.error("queue {}: worker failed around {} #{}", queue.sql.name, task.type, task.id, e);
            } finally {
                busy.decrementAndGet();
                held.decrementAndGet();
                if (waitingForWorkers) {
                    wake();
                }
            }
        }
    }

    private void run(Claimed task) {
        // the claim asks only for the registered types
        TaskQueue.Registration registration = Objects.requireNonNull(queue.handlers.get(task.type), task.type);
        TaskPolicy policy = registration.policy();
        if (task.attempt > policy.maxAttempts()) {
            // earlier attempts ended in lost leases (the worker died or hung): do not start another
            fail(task, AttemptOutcome.DEAD_LETTERED, Duration.ZERO, new IllegalStateException("attempt "
                    + task.attempt + " exceeds maxAttempts " + policy.maxAttempts() + " after lost leases"), null);
            return;
        }
        long start = queue.clock.nanoTime();
        owned.put(task.id, start + policy.timeout().toNanos());
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
            // in time or not, the completer's write is fenced by the attempt: keep the lease until it is recorded
            owned.replace(task.id, NO_DEADLINE);
            succeeded.add(new Done(task, took, System.nanoTime() + queue.lease.toNanos()));
            return;
        }
        Duration delay = policy.retryDelay(task.attempt, error);
        fail(task, delay == null ? AttemptOutcome.DEAD_LETTERED : AttemptOutcome.RETRIED, took, error, delay);
        if (error instanceof Error && !(error instanceof AssertionError)) {
            LOG.error("queue {}: handler of {} #{} threw an Error; the worker carries on", queue.sql.name, task.type,
                    task.id, error);
        }
    }

    /**
     * Records a failure, trying again while the database is unreachable for up to a lease: after that the task has
     * been (or will be) redelivered, and the attempt fence makes a late write change nothing.
     */
    private void fail(Claimed task, AttemptOutcome outcome, Duration took, Throwable error, @Nullable Duration delay) {
        long giveUp = System.nanoTime() + queue.lease.toNanos();
        try {
            for (int failures = 1; ; failures++) {
                try {
                    boolean recorded = recordFailure(task, outcome, error, delay);
                    if (!recorded) {
                        LOG.warn("queue {}: {} #{} attempt {} finished ({}) after its lease was lost; it is or was"
                                + " redelivered", queue.sql.name, task.type, task.id, task.attempt, outcome);
                    } else if (outcome == AttemptOutcome.DEAD_LETTERED) {
                        LOG.warn("queue {}: {} #{} dead-lettered after attempt {}: {}", queue.sql.name, task.type,
                                task.id, task.attempt, String.valueOf(error));
                    } else {
                        wake(); // the retry's run-at time may come before the dispatcher's planned wake
                    }
                    notifyListeners(task.type, recorded ? outcome : AttemptOutcome.LEASE_LOST, took);
                    return;
                } catch (SQLException | RuntimeException e) {
                    if (!isConnectionFailure(e) || System.nanoTime() - giveUp > 0 || Thread.currentThread().isInterrupted()) {
                        LOG.warn("queue {}: cannot record {} of {} #{} attempt {}; it is redelivered when its lease"
                                + " expires: {}", queue.sql.name, outcome, task.type, task.id, task.attempt, e.toString());
                        notifyListeners(task.type, AttemptOutcome.LEASE_LOST, took);
                        return;
                    }
                    LockSupport.parkNanos(RECONNECT.delay(Math.min(failures, 30), Duration.ZERO).toNanos());
                }
            }
        } finally {
            owned.remove(task.id);
        }
    }

    private boolean recordFailure(Claimed task, AttemptOutcome outcome, Throwable error, @Nullable Duration delay)
            throws SQLException {
        // the callers pass a delay exactly when the outcome is RETRIED
        boolean retry = outcome == AttemptOutcome.RETRIED && delay != null;
        try (Connection c = queue.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(retry ? queue.sql.retry() : queue.sql.bury())) {
            c.setAutoCommit(true);
            int i = 1;
            if (delay != null && retry) {
                ps.setLong(i++, delay.toMillis());
            }
            ps.setString(i++, error.getClass().getName());
            ps.setString(i++, truncate(error.getMessage(), AttemptFailure.MAX_MESSAGE));
            ps.setString(i++, truncate(stackTrace(error), AttemptFailure.MAX_STACK));
            ps.setLong(i++, task.id);
            ps.setInt(i, task.attempt);
            if (retry) {
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
            return ps.executeUpdate() == 1;
        }
    }

    // ---- completer

    /**
     * Records successes in batches: every success that finished while the previous batch was written goes into the
     * next statement. Runs until {@link #close()} queues {@link #FLUSHED} after the last handler.
     */
    private void complete() {
        List<Done> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(succeeded.take());
            } catch (InterruptedException e) {
                return;
            }
            succeeded.drainTo(batch, 4_999);
            boolean stop = batch.remove(FLUSHED);
            if (!batch.isEmpty()) {
                recordSuccesses(batch);
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void recordSuccesses(List<Done> batch) {
        for (int failures = 1; ; failures++) {
            try {
                Set<Long> recorded = recordBatch(batch);
                for (Done done : batch) {
                    owned.remove(done.task.id);
                    boolean ok = recorded.contains(done.task.id);
                    if (!ok) {
                        LOG.warn("queue {}: {} #{} attempt {} succeeded after its lease was lost; it is or was redelivered",
                                queue.sql.name, done.task.type, done.task.id, done.task.attempt);
                    }
                    notifyListeners(done.task.type, ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.LEASE_LOST, done.took);
                }
                return;
            } catch (SQLException | RuntimeException e) {
                boolean retryable = isConnectionFailure(e) || isDeadlock(e);
                if (!retryable || System.nanoTime() - batch.get(0).giveUpNanos > 0) {
                    LOG.warn("queue {}: cannot record {} successes; their tasks are redelivered when their leases expire: {}",
                            queue.sql.name, batch.size(), e.toString());
                    for (Done done : batch) {
                        owned.remove(done.task.id);
                        notifyListeners(done.task.type, AttemptOutcome.LEASE_LOST, done.took);
                    }
                    return;
                }
                LockSupport.parkNanos(RECONNECT.delay(Math.min(failures, 30), Duration.ZERO).toNanos());
            }
        }
    }

    private Set<Long> recordBatch(List<Done> batch) throws SQLException {
        Set<Long> recorded = new HashSet<>();
        writes.lock();
        try (Connection c = queue.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(queue.sql.complete())) {
            c.setAutoCommit(true);
            setIdsAndAttempts(c, ps, batch.stream().map(Done::task).toList());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    recorded.add(rs.getLong(1));
                }
            }
        } finally {
            writes.unlock();
        }
        return recorded;
    }

    /** Gives back claimed tasks that were never started, without counting their attempt. */
    private void release(List<Claimed> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        writes.lock();
        try (Connection c = queue.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(queue.sql.release())) {
            c.setAutoCommit(true);
            setIdsAndAttempts(c, ps, tasks);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("queue {}: cannot give back {} claimed tasks; they are redelivered when their leases expire: {}",
                    queue.sql.name, tasks.size(), e.toString());
        } finally {
            writes.unlock();
            tasks.forEach(task -> owned.remove(task.id));
        }
    }

    /** Parameters 1 and 2 of the batch statements: the tasks' ids and attempt numbers, as arrays. */
    private static void setIdsAndAttempts(Connection c, PreparedStatement ps, List<Claimed> tasks) throws SQLException {
        Long[] ids = new Long[tasks.size()];
        Integer[] attempts = new Integer[tasks.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tasks.get(i).id;
            attempts[i] = tasks.get(i).attempt;
        }
        ps.setArray(1, c.createArrayOf("bigint", ids));
        ps.setArray(2, c.createArrayOf("int4", attempts));
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
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57P");
    }

    static boolean isDeadlock(Exception e) {
        return e instanceof SQLException sql && "40P01".equals(sql.getSQLState());
    }

    static @Nullable String truncate(@Nullable String text, int max) {
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
        owned.forEach((id, deadline) -> {
            if (deadline == NO_DEADLINE || now - deadline < 0) {
                alive.add(id);
            }
        });
        try {
            if (!alive.isEmpty()) {
                writes.lock();
                try (Connection c = queue.dataSource.getConnection();
                     PreparedStatement ps = c.prepareStatement(queue.sql.heartbeat())) {
                    c.setAutoCommit(true);
                    ps.setLong(1, queue.lease.toMillis());
                    ps.setArray(2, c.createArrayOf("bigint", alive.toArray()));
                    ps.setString(3, queue.owner);
                    ps.executeUpdate();
                } finally {
                    writes.unlock();
                }
            }
            if (claiming) {
                try (Connection c = queue.dataSource.getConnection(); Statement s = c.createStatement()) {
                    c.setAutoCommit(true);
                    int expired = s.executeUpdate(queue.sql.expireLeases());
                    if (expired > 0) {
                        LOG.warn("queue {}: {} expired leases returned to the queue", queue.sql.name, expired);
                        wake();
                    }
                }
                applyRetention();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("queue {}: heartbeat failed: {}", queue.sql.name, e.toString());
        }
    }

    /** Archives or deletes dead tasks past their retention, at most every minute (or every retention, if shorter). */
    private void applyRetention() {
        long every = Math.min(TimeUnit.MINUTES.toNanos(1), queue.deadRetention.toNanos());
        long now = System.nanoTime();
        if (now - lastRetentionNanos < every) {
            return;
        }
        lastRetentionNanos = now;
        int n = queue.deadLetters().applyRetention();
        if (n > 0) {
            LOG.info("queue {}: {} dead tasks older than {} {}", queue.sql.name, n, queue.deadRetention,
                    queue.deadRetentionAction == DeadLetterRetention.ARCHIVE ? "archived" : "deleted");
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
        // claimed tasks no worker started go back at once, in one statement; then each worker stops after its task
        List<Claimed> unstarted = new ArrayList<>();
        ready.drainTo(unstarted);
        release(unstarted);
        for (int i = 0; i < queue.workers; i++) {
            ready.add(STOP);
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(queue.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("queue {}: {} handlers still running after {}; interrupting them, their tasks are redelivered"
                        + " when the lease expires", queue.sql.name, busy.get(), queue.shutdownTimeout);
                handlers.shutdownNow();
                handlers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        succeeded.add(FLUSHED);   // the completer records what the handlers finished, then stops
        join(completer);
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
