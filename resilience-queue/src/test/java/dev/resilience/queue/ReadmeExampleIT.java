package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.Backoff;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.core.Jitter;
import dev.resilience.queue.micrometer.QueueMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's sample, compiled and run against the test database. */
class ReadmeExampleIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("readme");
    final List<String> sent = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void createDatabase() throws Exception {
        db.execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric NOT NULL)");
    }

    void send(String json, String idempotencyKey) {
        sent.add(idempotencyKey + " " + json);
    }

    @Test
    void readmeSampleRunsAnOrderWebhookThroughTheQueue() throws Exception {
        DataSource dataSource = db.dataSource;
        MeterRegistry registry = new SimpleMeterRegistry();
        long orderId = 42;

        // --- README sample start
        TaskQueue queue = TaskQueue.builder(dataSource)             // any pool: HikariCP, resilience-pool, ...
                .schema("resilience_queue")                         // created and migrated on start()
                .workers(4)
                .handler("order.paid", task -> send(task.payloadAsString(), task.idempotencyKey().orElseThrow()),
                        TaskPolicy.builder()
                                .maxAttempts(8)
                                .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(10))
                                        .withJitter(Jitter.FULL))
                                .retryOn(error -> !(error instanceof IllegalArgumentException))   // bad input: DLQ at once
                                .timeout(Duration.ofSeconds(30))
                                .build())
                .build();
        QueueMetrics.bindTo(registry, queue);
        HealthCheck health = queue.asHealthCheck(Duration.ofMinutes(5));    // DEGRADED when a ready task waits > 5 min
        queue.start();

        try (Connection c = dataSource.getConnection()) {                // the business transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (id, total) VALUES (?, ?)")) {
                ps.setLong(1, orderId);
                ps.setBigDecimal(2, new java.math.BigDecimal("99.90"));
                ps.executeUpdate();
            }
            queue.enqueue(c, Task.json("order.paid", "{\"order\":" + orderId + "}")
                    .idempotencyKey("order-" + orderId + "-paid")         // enqueueing twice is a no-op
                    .build());
            c.commit();                                                   // the task exists iff the order does
        }
        // ... on shutdown:
        // queue.close();   // stops claiming, lets running handlers finish (30 s), gives back the rest
        // --- README sample end

        await().atMost(Duration.ofSeconds(30)).until(() -> sent.size() == 1);
        assertThat(sent).containsExactly("order-42-paid {\"order\":42}");
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.get("resilience.queue.attempts")
                .tag("type", "order.paid").tag("outcome", "succeeded").counter().count() == 1.0);
        assertThat(registry.get("resilience.queue.handler.duration").tag("type", "order.paid").timer().count()).isOne();
        assertThat(registry.get("resilience.queue.depth").tag("type", "order.paid").gauge().value()).isZero();
        assertThat(registry.get("resilience.queue.dead").gauge().value()).isZero();
        assertThat(registry.get("resilience.queue.in.flight").gauge().value()).isZero();
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);
        queue.close();
    }
}
