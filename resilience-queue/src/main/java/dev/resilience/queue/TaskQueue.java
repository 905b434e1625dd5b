package dev.resilience.queue;

import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.internal.Arguments;
import dev.resilience.queue.internal.Migrations;
import dev.resilience.queue.internal.Sql;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A durable task queue in PostgreSQL: enqueue inside the caller's transaction, run tasks on workers in
 * any number of instances, retry with backoff, park the hopeless in a dead letter queue.
 *
 * <pre>{@code
 * TaskQueue queue = TaskQueue.builder(dataSource)
 *         .handler("order.webhook", task -> send(task.payloadAsString(), task.idempotencyKey()),
 *                 TaskPolicy.builder().maxAttempts(8).build())
 *         .build();
 * queue.start();                                   // migrates the schema, then claims and runs tasks
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     queue.enqueue(c, Task.json("order.webhook", json).idempotencyKey("order-" + id).build());
 *     c.commit();                                  // the task exists if and only if the order does
 * }
 * queue.close();                                   // graceful: stops claiming, lets handlers finish
 * }</pre>
 *
 * <p>Connections come from the host's {@link DataSource}: one held for {@code LISTEN} while started,
 * one per claim, heartbeat and outcome, each returned at once. Every instance with the same schema
 * shares the tasks. Thread-safe.
 */
public final class TaskQueue implements AutoCloseable {

    final Sql sql;
    final DataSource dataSource;
    final Clock clock;
    final String owner;
    final String instanceName;
    final int workers;
    final int batchSize;
    final Duration lease;
    final Duration heartbeat;
    final Duration pollInterval;
    final Duration shutdownTimeout;
    final Duration deadRetention;
    final DeadLetterRetention deadRetentionAction;
    final Map<String, Registration> handlers;
    final List<QueueListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lifecycle = new Object();
    private @Nullable WorkerPool pool;
    private volatile boolean migrated;

    record Registration(TaskHandler handler, TaskPolicy policy) {
    }

    private TaskQueue(Builder b) {
        this.sql = new Sql(b.schema);
        this.dataSource = b.dataSource;
        this.clock = b.clock;
        this.instanceName = b.instanceName;
        this.owner = b.instanceName + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.workers = b.workers;
        this.batchSize = b.batchSize;
        this.lease = b.lease;
        this.heartbeat = b.heartbeat == null ? b.lease.dividedBy(3) : b.heartbeat;
        this.pollInterval = b.pollInterval;
        this.shutdownTimeout = b.shutdownTimeout;
        this.deadRetention = b.deadRetention;
        this.deadRetentionAction = b.deadRetentionAction;
        this.handlers = Map.copyOf(b.handlers);
        this.listeners.addAll(b.listeners);
    }

    /**
     * A builder taking connections from {@code dataSource}.
     *
     * @param dataSource where connections come from, ideally a pool; the queue holds one for LISTEN and borrows others briefly
     * @return a builder with the defaults listed on {@link Config}
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * Creates or upgrades the schema (idempotent; instances starting together serialise on an advisory
     * lock). {@link #start()} calls it; call it yourself to enqueue from a process that runs no workers.
     *
     * @throws QueueException when the database cannot be reached or refuses
     */
    public void migrate() {
        try (Connection c = dataSource.getConnection()) {
            Migrations.migrate(c, sql);
            migrated = true;
        } catch (SQLException e) {
            throw new QueueException("cannot migrate queue schema " + sql.name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Enqueues {@code task} on the caller's connection, inside the caller's transaction if one is open: the
     * task becomes visible to workers when, and only if, that transaction commits. One round trip (the
     * INSERT also sends the NOTIFY, which PostgreSQL delivers at commit). The connection is left as it was.
     *
     * @param connection the caller's connection, in the transaction the task belongs to; not closed or committed
     * @param task       the task to enqueue
     * @return the id, and whether the idempotency key made this a duplicate (then nothing was inserted)
     * @throws SQLException when the statement fails (the caller's transaction is then aborted, as with any
     *     failed statement)
     */
    public EnqueueResult enqueue(Connection connection, Task task) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(task, "task");
        try (PreparedStatement ps = connection.prepareStatement(sql.enqueue())) {
            ps.setString(1, task.type());
            ps.setBytes(2, task.payloadUnsafe());
            ps.setString(3, task.idempotencyKey());
            ps.setInt(4, task.priority());
            if (task.runAt() == null) {
                ps.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setTimestamp(5, Timestamp.from(task.runAt()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new EnqueueResult(rs.getLong(1), false);
                }
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.findByKey())) {
            ps.setString(1, task.type());
            ps.setString(2, task.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                return new EnqueueResult(rs.next() ? rs.getLong(1) : -1, true);
            }
        }
    }

    /**
     * Enqueues {@code task} in a transaction of its own.
     *
     * @param task the task to enqueue
     * @return the id, and whether the idempotency key made this a duplicate
     * @throws QueueException when the database cannot be reached or refuses
     */
    public EnqueueResult enqueue(Task task) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return enqueue(c, task);
        } catch (SQLException e) {
            throw new QueueException("cannot enqueue " + task + ": " + e.getMessage(), e);
        }
    }

    /**
     * Migrates the schema, then starts the workers: a dispatcher that claims ready tasks of the registered
     * types in batches, a {@code LISTEN} connection that wakes it on new tasks, a heartbeat that extends the
     * leases of running tasks and returns expired leases to the queue, and {@code workers} handler threads.
     * A no-op when started.
     *
     * @throws QueueException when the schema cannot be migrated
     * @throws IllegalStateException when no handler is registered or the queue was closed
     */
    public void start() {
        if (handlers.isEmpty()) {
            throw new IllegalStateException("no handler registered: register one with Builder.handler(type, handler)");
        }
        synchronized (lifecycle) {
            if (pool != null) {
                if (pool.closed()) {
                    throw new IllegalStateException("queue was closed; build a new one");
                }
                return;
            }
            if (!migrated) {
                migrate();
            }
            pool = new WorkerPool(this);
            pool.start();
        }
    }

    /**
     * Stops gracefully: no more claims, running handlers get up to the shutdown timeout to finish (their
     * leases are still extended meanwhile), claimed tasks not yet started are given back at once. Handlers
     * still running after the timeout are interrupted; their tasks are redelivered when the lease expires.
     */
    @Override
    public void close() {
        WorkerPool running;
        synchronized (lifecycle) {
            running = pool;
        }
        if (running != null) {
            running.close();
        }
    }

    /**
     * Tasks whose handler runs in this instance now.
     *
     * @return the number of handlers running now, 0 to the worker count
     */
    public int inFlight() {
        WorkerPool running = pool;
        return running == null ? 0 : running.inFlight();
    }

    /**
     * The types this instance has handlers for.
     *
     * @return the registered task types, unmodifiable
     */
    public Set<String> types() {
        return handlers.keySet();
    }

    /**
     * The effective settings, defaults included, for printing and checking (the Spring starter shows them).
     * Holds no credential: the {@link DataSource} is not described.
     *
     * @return a snapshot of the settings; the queue never changes them after {@link Builder#build()}
     */
    public Config config() {
        Map<String, TaskPolicy> policies = new java.util.TreeMap<>();
        handlers.forEach((type, registration) -> policies.put(type, registration.policy()));
        return new Config(sql.name, instanceName, workers, batchSize, lease, heartbeat, pollInterval, shutdownTimeout,
                deadRetention, deadRetentionAction, Collections.unmodifiableMap(policies));
    }

    /**
     * The effective settings of a {@link TaskQueue}, defaults included; see {@link Builder} for what each means.
     *
     * @param schema              the schema holding the queue's tables (default {@code resilience_queue})
     * @param instanceName        the name this instance claims tasks under (default the JVM's {@code pid@host})
     * @param workers             handler threads of this instance (default 4)
     * @param batchSize           tasks claimed per query (default 10)
     * @param leaseDuration       how long a claimed task stays leased without a heartbeat (default 30 s)
     * @param heartbeatInterval   how often running tasks' leases are extended (default a third of the lease)
     * @param pollInterval        how often an idle instance polls besides {@code LISTEN} wake-ups (default 10 s)
     * @param shutdownTimeout     how long {@link #close()} waits for running handlers (default 30 s)
     * @param deadLetterRetention how long dead tasks are kept (default 30 days)
     * @param deadLetterAction    what happens to a dead task after that (default {@link DeadLetterRetention#ARCHIVE})
     * @param policies            the retry policy of each registered task type, by type, sorted
     */
    public record Config(String schema, String instanceName, int workers, int batchSize, Duration leaseDuration,
                         Duration heartbeatInterval, Duration pollInterval, Duration shutdownTimeout,
                         Duration deadLetterRetention, DeadLetterRetention deadLetterAction,
                         Map<String, TaskPolicy> policies) {
    }

    /**
     * The schema the queue lives in.
     *
     * @return the schema name as configured
     */
    public String schema() {
        return sql.name;
    }

    /**
     * Adds a listener told about every finished attempt.
     *
     * @param listener called on the worker thread after each attempt; must be quick and must not throw
     */
    public void addListener(QueueListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Counts per type, read in one query (a scan of the unfinished tasks: cheap for queues of up to some
     * hundred thousand waiting tasks).
     *
     * @return a fresh snapshot of the counts
     * @throws QueueException when the database cannot be reached
     */
    public QueueStats stats() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            Map<String, QueueStats.TypeStats> byType = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery(sql.stats())) {
                while (rs.next()) {
                    byType.put(rs.getString(1), new QueueStats.TypeStats(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            Duration.ofMillis(rs.getLong(5))));
                }
            }
            return new QueueStats(Map.copyOf(byType));
        } catch (SQLException e) {
            throw new QueueException("cannot read queue stats: " + e.getMessage(), e);
        }
    }

    /**
     * A health check: DOWN when the database cannot be reached, DEGRADED when a task ready to run has waited
     * longer than {@code maxReadyAge} (workers are missing, stuck or too few), UP otherwise; details give
     * ready, running and dead counts.
     *
     * @param maxReadyAge how long a ready task may wait before the queue counts as degraded
     * @return a check that queries the database on every call
     * @throws IllegalArgumentException if {@code maxReadyAge} is not positive
     */
    public HealthCheck asHealthCheck(Duration maxReadyAge) {
        return new QueueHealthCheck(this::stats, maxReadyAge);
    }

    /**
     * The dead letter queue of this queue's schema.
     *
     * @return the dead letter queue; cheap, it holds no state of its own
     */
    public DeadLetterQueue deadLetters() {
        return new DeadLetterQueue(this);
    }

    /**
     * Deletes tasks that succeeded more than {@code olderThan} ago. Only tasks with an idempotency key are kept
     * after success (so that a duplicate enqueue stays a no-op); after this, the key can be used again.
     *
     * @param olderThan how long a finished task is kept; not negative
     * @return how many were deleted
     * @throws QueueException when the database cannot be reached
     */
    public int purgeDone(Duration olderThan) {
        Arguments.notNegative("olderThan", olderThan);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.purgeDone())) {
            ps.setLong(1, olderThan.toMillis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("cannot purge done tasks: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TaskQueue{" + sql.name + ", " + owner + ", types " + handlers.keySet() + "}";
    }

    /** Builds a {@link TaskQueue}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private String schema = "resilience_queue";
        private String instanceName = ManagementFactory.getRuntimeMXBean().getName();
        private Clock clock = Clock.system();
        private int workers = 4;
        private int batchSize = 10;
        private Duration lease = Duration.ofSeconds(30);
        private @Nullable Duration heartbeat;
        private Duration pollInterval = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration deadRetention = Duration.ofDays(30);
        private DeadLetterRetention deadRetentionAction = DeadLetterRetention.ARCHIVE;
        private final Map<String, Registration> handlers = new LinkedHashMap<>();
        private final List<QueueListener> listeners = new ArrayList<>();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * The schema holding the queue's tables (default {@code resilience_queue}); created if missing.
         *
         * @param schema the schema name
         * @return this builder
         * @throws IllegalArgumentException unless a lower-case identifier of at most 48 characters
         */
        public Builder schema(String schema) {
            this.schema = Sql.checkSchema(schema);
            return this;
        }

        /**
         * Names this instance in leases, for operators (default {@code pid@host}); a random suffix is added.
         *
         * @param instanceName a name operators recognise, such as the host or pod
         * @return this builder
         */
        public Builder instanceName(String instanceName) {
            this.instanceName = Arguments.notBlank("instanceName", instanceName);
            return this;
        }

        /**
         * The clock for handler deadlines and durations (default the system clock).
         *
         * @param clock the clock; tests pass a manual one
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Handler threads in this instance (default 4).
         *
         * @param workers the number of threads
         * @return this builder
         * @throws IllegalArgumentException if outside 1..1000
         */
        public Builder workers(int workers) {
            this.workers = Arguments.between("workers", workers, 1, 1000);
            return this;
        }

        /**
         * The most tasks one claim takes (default 10). The instance claims ahead of its workers: it holds at most
         * {@code workers + batchSize} tasks (running or waiting for a worker) and claims again when fewer than
         * {@code workers} wait, so that the workers never wait for a claim under load.
         *
         * @param batchSize tasks per claim
         * @return this builder
         * @throws IllegalArgumentException if outside 1..1000
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = Arguments.between("batchSize", batchSize, 1, 1000);
            return this;
        }

        /**
         * How long a claimed task stays leased without a heartbeat (default 30 s): a worker that dies has its
         * tasks redelivered this long after its last heartbeat.
         *
         * @param lease the lease duration, at least 1 s
         * @return this builder
         * @throws IllegalArgumentException if below 1 s
         */
        public Builder leaseDuration(Duration lease) {
            if (Arguments.positive("leaseDuration", lease).compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("leaseDuration must be at least 1 s, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /**
         * How often leases are extended and expired leases returned to the queue (default a third of the lease).
         *
         * @param heartbeat the interval, below the lease duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder heartbeatInterval(Duration heartbeat) {
            this.heartbeat = Arguments.positive("heartbeatInterval", heartbeat);
            return this;
        }

        /**
         * The safety-net poll when no NOTIFY arrives (default 10 s): tasks whose run-at time comes, and any
         * notification lost while the LISTEN connection was down, are found at least this often.
         *
         * @param pollInterval the poll interval
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Arguments.positive("pollInterval", pollInterval);
            return this;
        }

        /**
         * How long {@link TaskQueue#close()} waits for running handlers (default 30 s).
         *
         * @param shutdownTimeout how long to wait; zero does not wait
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Arguments.notNegative("shutdownTimeout", shutdownTimeout);
            return this;
        }

        /**
         * How long a dead task stays in the dead letter queue (default 30 days, then archived): after that a started
         * queue moves it into the table {@code <schema>.dead_archive} ({@link DeadLetterRetention#ARCHIVE}) or
         * deletes it ({@link DeadLetterRetention#DELETE}), checking at least every minute. Either way its idempotency
         * key is free again.
         *
         * @param retention how long a dead task is kept, positive
         * @param action    what happens to it then
         * @return this builder
         * @throws IllegalArgumentException if {@code retention} is not positive
         */
        public Builder deadLetterRetention(Duration retention, DeadLetterRetention action) {
            this.deadRetention = Arguments.positive("retention", retention);
            this.deadRetentionAction = Objects.requireNonNull(action, "action");
            return this;
        }

        /**
         * Runs tasks of {@code type} with {@code handler} under {@link TaskPolicy#ofDefaults()}.
         *
         * @param type    the task type
         * @param handler runs each task of that type
         * @return this builder
         */
        public Builder handler(String type, TaskHandler handler) {
            return handler(type, handler, TaskPolicy.ofDefaults());
        }

        /**
         * Runs tasks of {@code type} with {@code handler} under {@code policy}.
         *
         * @param type    the task type
         * @param handler runs each task of that type
         * @param policy  retries and timeout for that type
         * @return this builder
         * @throws IllegalArgumentException if {@code type} is blank or already has a handler
         */
        public Builder handler(String type, TaskHandler handler, TaskPolicy policy) {
            Arguments.notBlank("type", type);
            if (handlers.containsKey(type)) {
                throw new IllegalArgumentException("type '" + type + "' already has a handler");
            }
            handlers.put(type, new Registration(Objects.requireNonNull(handler, "handler"),
                    Objects.requireNonNull(policy, "policy")));
            return this;
        }

        /**
         * Tells {@code listener} about every finished attempt.
         *
         * @param listener called on the worker thread after each attempt; must be quick and must not throw
         * @return this builder
         */
        public Builder listener(QueueListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the queue; it does not connect until {@link TaskQueue#migrate()} or {@link TaskQueue#start()}.
         *
         * @return the queue, thread-safe
         * @throws IllegalArgumentException if the heartbeat interval is not below the lease duration
         */
        public TaskQueue build() {
            if (heartbeat != null && heartbeat.compareTo(lease) >= 0) {
                throw new IllegalArgumentException("heartbeatInterval (" + heartbeat + ") must be below leaseDuration ("
                        + lease + ")");
            }
            return new TaskQueue(this);
        }
    }
}
