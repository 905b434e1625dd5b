package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.testkit.PostgresCluster;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** PostgreSQL restarted under load: the workers and the LISTEN connection reconnect, nothing is lost or stuck. */
class PostgresRestartIT {

    @Test
    void workersReconnectAfterPostgresRestartAndEveryTaskRuns() throws Exception {
        try (PostgresCluster pg = PostgresCluster.start()) {
            pg.createDatabase("orders");
            pg.psql("orders", "CREATE TABLE effects (task int PRIMARY KEY)");
            AtomicInteger runs = new AtomicInteger();
            try (HikariDataSource pool = QueueDb.dataSource(pg.jdbcUrl("orders"), 10);
                 TaskQueue first = queue(pool, "first", runs);
                 TaskQueue second = queue(pool, "second", runs)) {
                first.start();
                second.start();
                enqueue(first, 1, 1000);
                await().atMost(Duration.ofSeconds(60)).until(() -> runs.get() >= 200);

                pg.restart();       // fast shutdown: every session is cut, in-flight outcomes fail

                enqueue(first, 1001, 1500);   // new tasks after the restart reach workers through a new LISTEN
                await().atMost(Duration.ofSeconds(120)).until(() -> count(pg, "SELECT count(*) FROM resilience_queue.tasks WHERE state <> 'done'") == 0);
                assertThat(count(pg, "SELECT count(*) FROM effects")).isEqualTo(1500);
                assertThat(count(pg, "SELECT count(*) FROM resilience_queue.tasks WHERE state = 'done'")).isEqualTo(1500);
                assertThat(runs.get()).isGreaterThanOrEqualTo(1500);
            }
        }
    }

    private static TaskQueue queue(HikariDataSource pool, String name, AtomicInteger runs) {
        return TaskQueue.builder(pool).instanceName(name).leaseDuration(Duration.ofSeconds(3))
                .pollInterval(Duration.ofSeconds(1)).handler("effect", task -> {
                    runs.incrementAndGet();
                    try (Connection c = pool.getConnection();
                         PreparedStatement ps = c.prepareStatement("INSERT INTO effects VALUES (?) ON CONFLICT DO NOTHING")) {
                        ps.setInt(1, ByteBuffer.wrap(task.payload()).getInt());
                        ps.executeUpdate();
                    }
                }).build();
    }

    /** Enqueues tasks from..to, trying again while the server is still coming back. */
    private static void enqueue(TaskQueue queue, int from, int to) {
        for (int n = from; n <= to; n++) {
            Task task = Task.of("effect", ByteBuffer.allocate(4).putInt(n).array()).idempotencyKey("effect-" + n).build();
            await().pollDelay(Duration.ZERO).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> queue.enqueue(task) != null);
        }
    }

    private static long count(PostgresCluster pg, String sql) {
        return Long.parseLong(pg.psql("orders", sql).trim());
    }
}
