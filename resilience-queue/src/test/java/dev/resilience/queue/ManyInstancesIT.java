package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.testkit.TestServices;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three instances with four workers each drain tasks enqueued concurrently: every effect once, none lost, none left.
 * 5,000 tasks in the build; the long mode, {@code -Dresilience.queue.manyTasks=50000}, runs the 50,000.
 */
class ManyInstancesIT {

    static final int TASKS = Integer.getInteger("resilience.queue.manyTasks", 5_000);
    static final int PRODUCERS = 4;
    static final int INSTANCES = 3;
    @RegisterExtension
    static final QueueDb db = new QueueDb("many");

    @BeforeAll
    static void createDatabase() throws Exception {
        db.execute("CREATE TABLE effects (task bigint PRIMARY KEY)");
    }

    @Test
    void threeInstancesRunEveryTaskAndTheIdempotentEffectHappensExactlyOnce() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(TASKS + 1);
        List<HikariDataSource> pools = new ArrayList<>();
        List<TaskQueue> queues = new ArrayList<>();
        ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
        try {
            for (int i = 0; i < INSTANCES; i++) {
                HikariDataSource pool = QueueDb.dataSource(TestServices.postgresUrl(db.name), 8);
                pools.add(pool);
                TaskQueue queue = TaskQueue.builder(pool).instanceName("instance-" + i).schema("many").workers(4)
                        .batchSize(10).handler("effect", task -> {
                            int n = ByteBuffer.wrap(task.payload()).getInt();
                            runs.incrementAndGet(n);
                            try (Connection c = pool.getConnection();
                                 PreparedStatement ps = c.prepareStatement(
                                         "INSERT INTO effects VALUES (?) ON CONFLICT DO NOTHING")) {
                                ps.setLong(1, n);
                                ps.executeUpdate();
                            }
                        }).build();
                queues.add(queue);
            }
            long start = System.nanoTime();
            queues.forEach(TaskQueue::start);   // all at once: migrations serialise on the advisory lock

            List<Future<?>> sent = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int producer = p;
                sent.add(producers.submit(() -> {
                    // transactions of 100 tasks, as a service's business transactions would enqueue them
                    try (Connection c = db.dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        for (int n = 1 + producer; n <= TASKS; n += PRODUCERS) {
                            queues.get(n % INSTANCES).enqueue(c, Task.of("effect", ByteBuffer.allocate(4).putInt(n).array()).build());
                            if (n % 100 < PRODUCERS) {
                                c.commit();
                            }
                        }
                        c.commit();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            await().atMost(Duration.ofMinutes(Math.max(3, TASKS / 5_000 * 3L))).until(() -> db.count("SELECT count(*) FROM many.tasks") == 0);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(db.count("SELECT count(*) FROM effects")).isEqualTo(TASKS);
            int redelivered = 0;
            for (int n = 1; n <= TASKS; n++) {
                assertThat(runs.get(n)).as("runs of task %d", n).isPositive();
                redelivered += runs.get(n) - 1;
            }
            System.out.printf("ManyInstancesIT: %d tasks, %d instances x 4 workers, %d ms (%.0f tasks/s), %d redelivered%n",
                    TASKS, INSTANCES, took.toMillis(), TASKS * 1000.0 / took.toMillis(), redelivered);
        } finally {
            producers.shutdownNow();
            queues.forEach(TaskQueue::close);
            pools.forEach(HikariDataSource::close);
        }
    }
}
