package dev.resilience.queue.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.core.Backoff;
import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.DeadTask;
import dev.resilience.queue.QueueDb;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The webhook sender through the queue against a local receiver that fails, hangs and throttles. */
class WebhookSenderIT {

    static final byte[] SECRET = "whsec-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final QueueDb db = new QueueDb("webhook");

    HttpServer server;
    final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();   // statuses to answer; -1 hangs
    final List<String> delivered = new CopyOnWriteArrayList<>();                  // verified, 2xx-answered ids
    final List<String> received = new CopyOnWriteArrayList<>();
    final CountDownLatch hang = new CountDownLatch(1);

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks", this::receive);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        hang.countDown();
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        boolean signed = WebhookSender.verify(SECRET, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"), body,
                exchange.getRequestHeaders().getFirst("webhook-signature"), Instant.now(), Duration.ofMinutes(5));
        received.add(id);
        Integer status = script.poll();
        if (status == null) {
            status = signed ? 204 : 401;
        }
        if (status == -1) {
            try {
                hang.await(30, TimeUnit.SECONDS);   // longer than the sender's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if (status == 429 || status == 503) {
            exchange.getResponseHeaders().add("Retry-After", "1");
        }
        if (status == 204 && signed) {
            delivered.add(id + " " + new String(body, StandardCharsets.UTF_8));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private TaskQueue queue(String schema, int maxAttempts) {
        WebhookSender sender = WebhookSender.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks"),
                SECRET).timeout(Duration.ofMillis(500)).build();
        return TaskQueue.builder(db.dataSource).schema(schema).pollInterval(Duration.ofMillis(200))
                .handler("webhook", sender, WebhookSender.policyBuilder().maxAttempts(maxAttempts)
                        .backoff(Backoff.fixed(Duration.ofMillis(100))).build())
                .build();
    }

    @Test
    void failuresTimeoutsAndThrottlingAreRetriedUntilTheSignedWebhookIsDelivered() {
        script.addAll(List.of(500, -1, 429, 503));
        try (TaskQueue queue = queue("retried", 6)) {
            queue.start();
            queue.enqueue(Task.json("webhook", "{\"order\":42}").idempotencyKey("order-42-paid").build());
            await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() == 1);
        }
        assertThat(delivered).containsExactly("order-42-paid {\"order\":42}");
        assertThat(received).hasSize(5).containsOnly("order-42-paid");
    }

    @Test
    void clientErrorGoesToTheDeadLetterQueueWithoutRetry() {
        script.add(422);
        try (TaskQueue queue = queue("rejected", 6)) {
            queue.start();
            queue.enqueue(Task.json("webhook", "{\"order\":7}").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 1);
            DeadTask dead = queue.deadLetters().list(DeadLetterFilter.all(), 10).get(0);
            assertThat(dead.attempts()).isOne();
            assertThat(dead.lastFailure().error()).isEqualTo(WebhookRejectedException.class.getName());
            assertThat(dead.lastFailure().message()).contains("answered 422");
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void webhookDeadLetteredAfterMaxAttemptsIsDeliveredWhenReprocessedAfterTheReceiverRecovers() {
        script.addAll(List.of(502, 502, 502));
        try (TaskQueue queue = queue("recovered", 3)) {
            queue.start();
            queue.enqueue(Task.json("webhook", "{\"order\":9}").idempotencyKey("order-9").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 1);
            assertThat(delivered).isEmpty();

            assertThat(queue.deadLetters().reprocess(DeadLetterFilter.ofType("webhook"))).isOne();

            await().atMost(Duration.ofSeconds(30)).until(() -> delivered.size() == 1);
        }
        assertThat(delivered).containsExactly("order-9 {\"order\":9}");
        assertThat(received).hasSize(4);
    }
}
