package dev.resilience.benchmarks.queue;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.queue.TaskQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * No-op tasks drained by 4 workers, this library's {@link TaskQueue} against db-scheduler, on the same
 * PostgreSQL database and the same pool size, alternating rounds. Each round inserts {@code tasks} due
 * tasks with one SQL statement (enqueue cost is not measured here), starts the worker side and measures
 * until every task ran and its row is gone.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.resilience.benchmarks.queue.QueueThroughputComparison [tasks] [rounds] [in-hand] [jdbc-url-of-postgres-db]</pre>
 *
 * <p>{@code in-hand} (default 16, db-scheduler's documented high-throughput setting with 4 threads) is how many tasks
 * each side may hold at once: this library's {@code workers + batchSize}, db-scheduler's upper limit x threads.
 */
public final class QueueThroughputComparison {

    private static final int WORKERS = 4;

    private QueueThroughputComparison() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // tasks in hand per instance, the same for both: ours workers + batchSize, db-scheduler's upper limit x threads
        int depth = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        String server = args.length > 3 ? args[3] : "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
        String database = "resilience_bench_queue_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        execute(server, "CREATE DATABASE " + database);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.replace("/postgres?", "/" + database + "?"));
        config.setMaximumPoolSize(10);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL,"
                        + " task_data bytea, execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,"
                        + " last_success timestamptz, last_failure timestamptz, consecutive_failures int,"
                        + " last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,"
                        + " PRIMARY KEY (task_name, task_instance))");
                s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
                s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
            }
            TaskQueue.builder(pool).schema("bench").handler("noop", task -> { }).build().migrate();
            List<Long> ours = new ArrayList<>();
            List<Long> lockAndFetch = new ArrayList<>();
            List<Long> fetchAndLock = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                ours.add(ours(pool, tasks, depth));
                lockAndFetch.add(dbScheduler(pool, tasks, true, depth));
                fetchAndLock.add(dbScheduler(pool, tasks, false, depth));
                System.out.printf("round %d: resilience-queue %d ms, db-scheduler lock-and-fetch %d ms,"
                        + " db-scheduler fetch-and-lock-on-execute %d ms%n", round + 1, ours.get(round),
                        lockAndFetch.get(round), fetchAndLock.get(round));
            }
            long o = median(ours);
            long l = median(lockAndFetch);
            long f = median(fetchAndLock);
            System.out.printf("median over %d rounds of %d no-op tasks, %d workers, %d in hand: resilience-queue %.0f tasks/s,"
                    + " db-scheduler lock-and-fetch %.0f tasks/s (ratio %.2fx), fetch-and-lock-on-execute %.0f tasks/s"
                    + " (ratio %.2fx)%n", rounds, tasks, WORKERS, depth, tasks * 1000.0 / o, tasks * 1000.0 / l, (double) l / o,
                    tasks * 1000.0 / f, (double) f / o);
        } finally {
            execute(server, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static long ours(HikariDataSource pool, int tasks, int depth) throws SQLException {
        execute(pool, "INSERT INTO bench.tasks (type, payload) SELECT 'noop', '\\x' FROM generate_series(1, " + tasks + ")");
        AtomicInteger done = new AtomicInteger();
        long start = System.nanoTime();
        // at most workers + batchSize tasks in hand
        try (TaskQueue queue = TaskQueue.builder(pool).schema("bench").workers(WORKERS).batchSize(depth - WORKERS)
                .pollInterval(Duration.ofMillis(500)).handler("noop", task -> done.incrementAndGet()).build()) {
            queue.start();
            waitUntilEmpty(pool, "bench.tasks", done, tasks);
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static long dbScheduler(HikariDataSource pool, int tasks, boolean lockAndFetch, int depth) throws SQLException {
        execute(pool, "INSERT INTO scheduled_tasks (task_name, task_instance, execution_time, picked, version)"
                + " SELECT 'noop', g::text, now(), false, 1 FROM generate_series(1, " + tasks + ") g");
        AtomicInteger done = new AtomicInteger();
        OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> done.incrementAndGet());
        var builder = Scheduler.create(pool, noop).threads(WORKERS).pollingInterval(Duration.ofMillis(500));
        double upper = (double) depth / WORKERS;
        if (lockAndFetch) {
            // its README's setting "for high throughput (i.e. keep threads busy)" is 1.0, 4.0 (16 in hand with 4 threads):
            // fetch again when at most 1.0 x threads are left, up to upper x threads in hand, locked with
            // SELECT ... FOR UPDATE SKIP LOCKED in the same statement
            builder.pollUsingLockAndFetch(1.0, upper);
        } else {
            builder.pollUsingFetchAndLockOnExecute(0.5, upper);   // its default lower limit, the same depth
        }
        Scheduler scheduler = builder.build();
        long start = System.nanoTime();
        scheduler.start();
        try {
            waitUntilEmpty(pool, "scheduled_tasks", done, tasks);
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            scheduler.stop();
        }
    }

    private static void waitUntilEmpty(HikariDataSource pool, String table, AtomicInteger done, int tasks) throws SQLException {
        while (done.get() < tasks || count(pool, table) > 0) {
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static long count(HikariDataSource pool, String table) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void execute(HikariDataSource pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
