package dev.resilience.examples.webhooks;

import com.sun.net.httpserver.HttpHandler;
import dev.resilience.core.HealthCheck;
import dev.resilience.examples.ServiceConfig.WebhookTarget;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.orders.Order;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskQueue;
import dev.resilience.queue.admin.QueueAdminHandler;
import dev.resilience.queue.micrometer.QueueMetrics;
import dev.resilience.queue.webhook.WebhookSender;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Order webhooks through resilience-queue: the order's transaction enqueues an {@code order.created} task (so the
 * webhook is sent if and only if the order committed, even across a crash), a {@link WebhookSender} POSTs it signed
 * to {@code WEBHOOK_URL}, retrying 5xx, 429 and network errors with backoff (5 attempts), and sends a 4xx or the last
 * failure to the dead letter queue, which {@code /admin/queue} lists and reprocesses. Thread-safe.
 */
public final class OrderWebhooks implements AutoCloseable {

    /** The task type of an order webhook. */
    public static final String TYPE = "order.created";
    /** The schema of the example's queue. */
    public static final String SCHEMA = "example_queue";

    private final TaskQueue queue;

    private OrderWebhooks(TaskQueue queue) {
        this.queue = queue;
    }

    /** Migrates the queue's schema and starts its workers; its meters go to {@code meters}. */
    public static OrderWebhooks start(DataSource db, WebhookTarget target, MeterRegistry meters) {
        WebhookSender sender = WebhookSender.builder(target.url(), target.secret().getBytes(StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(5)).build();
        TaskQueue queue = TaskQueue.builder(db).schema(SCHEMA).workers(2).instanceName("resilience-example")
                .shutdownTimeout(Duration.ofSeconds(5))
                .handler(TYPE, sender, WebhookSender.policyBuilder().maxAttempts(5).build())
                .build();
        QueueMetrics.bindTo(meters, queue);
        queue.start();
        return new OrderWebhooks(queue);
    }

    /** Enqueues the webhook of {@code order} on {@code connection}, inside the transaction that creates the order. */
    public void orderCreated(Connection connection, Order order) throws SQLException {
        byte[] json;
        try {
            json = Json.bytes(Map.of("type", TYPE, "order", order));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        queue.enqueue(connection, Task.of(TYPE, json).idempotencyKey("order-" + order.id() + "-created").build());
    }

    /** DEGRADED when a webhook has waited more than 5 minutes to be sent, DOWN when the queue's database is unreachable. */
    public HealthCheck asHealthCheck() {
        return queue.asHealthCheck(Duration.ofMinutes(5));
    }

    /**
     * {@code /admin/queue}: stats, the dead letter queue, reprocess and discard. Open here: the service guards it with
     * the same {@code ADMIN_TOKEN} filter as {@code /health/detailed}.
     */
    public HttpHandler adminHandler() {
        return QueueAdminHandler.open(queue);
    }

    /** Stops claiming and lets the webhooks being sent finish (up to 5 s). */
    @Override
    public void close() {
        queue.close();
    }
}
