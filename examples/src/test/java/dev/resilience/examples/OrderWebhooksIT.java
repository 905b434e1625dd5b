package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.queue.webhook.WebhookSender;
import dev.resilience.testkit.TestServices;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's order webhooks end to end: a new order is POSTed, signed, to WEBHOOK_URL through the durable queue;
 * a receiver that rejects it (a 4xx) puts it in the dead letter queue, which {@code /admin/queue} shows (behind
 * ADMIN_TOKEN, like {@code /health/detailed}) and reprocesses once the receiver accepts again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderWebhooksIT {

    static final String DATABASE = "resilience_example_webhooks_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    static final String SECRET = "it-webhook-secret-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final AtomicInteger answer = new AtomicInteger(204);
    final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger badSignatures = new AtomicInteger();
    HttpServer receiver;
    ExampleService service;
    @TempDir
    static Path backupDir;

    @BeforeAll
    void start() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks/orders", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var headers = exchange.getRequestHeaders();
            boolean signed = WebhookSender.verify(SECRET.getBytes(StandardCharsets.UTF_8), headers.getFirst("webhook-id"),
                    headers.getFirst("webhook-timestamp"), body, headers.getFirst("webhook-signature"), Instant.now(),
                    Duration.ofMinutes(5));
            int status = signed ? answer.get() : 401;
            if (!signed) {
                badSignatures.incrementAndGet();
            } else if (status < 300) {
                accepted.add(JSON.readTree(body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", TestServices.postgresUrl(DATABASE));
        env.put("DB_POOL_SIZE", "6");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("BACKUP_DIR", backupDir.toString());
        env.put("SHUTDOWN_DRAIN", "0s");
        env.put("WEBHOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/orders");
        env.put("WEBHOOK_SECRET", SECRET);
        service = ExampleService.start(ServiceConfig.fromEnv(env));
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private HttpResponse<String> send(String method, String path, String body, boolean admin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.baseUri().resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (admin) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long order(String customer) throws Exception {
        HttpResponse<String> created = send("POST", "/api/orders", "{\"customer\":\"" + customer + "\",\"item\":\"book\",\"quantity\":1}", false);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asLong();
    }

    @Test
    void anOrderSendsASignedWebhookAndARejectedOneIsShownAndReprocessedFromAdminQueue() throws Exception {
        long first = order("ann");
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 1);
        assertThat(accepted.get(0).at("/type").asText()).isEqualTo("order.created");
        assertThat(accepted.get(0).at("/order/id").asLong()).isEqualTo(first);
        assertThat(accepted.get(0).at("/order/customer").asText()).isEqualTo("ann");

        answer.set(422);   // the receiver rejects the next one: a 4xx goes to the dead letter queue at once
        long second = order("bob");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> dead = send("GET", "/admin/queue/dead", null, true);
            return dead.statusCode() == 200 && dead.body().contains("order-" + second + "-created");
        });
        HttpResponse<String> dead = send("GET", "/admin/queue/dead?type=order.created", null, true);
        assertThat(dead.body()).contains("WebhookRejectedException").contains("422");
        assertThat(send("GET", "/admin/queue/stats", null, true).body()).contains("\"dead\":1");

        // the same access rule as /health/detailed: no token, no queue
        HttpResponse<String> anonymous = send("POST", "/admin/queue/dead/reprocess?all=true", null, false);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(send("GET", "/health/detailed", null, false).statusCode()).isEqualTo(401);

        answer.set(204);   // the receiver is fixed: an operator reprocesses the dead letter queue
        HttpResponse<String> reprocessed = send("POST", "/admin/queue/dead/reprocess?all=true", null, true);
        assertThat(reprocessed.statusCode()).as(reprocessed.body()).isEqualTo(200);
        assertThat(reprocessed.body()).contains("\"reprocessed\":1");
        await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 2);
        assertThat(accepted.get(1).at("/order/id").asLong()).isEqualTo(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> send("GET", "/admin/queue/stats", null, true).body().contains("\"dead\":0"));
        assertThat(badSignatures).hasValue(0);

        HttpResponse<String> health = send("GET", "/health/detailed", null, true);
        assertThat(health.body()).contains("webhooks");
        HttpResponse<String> metrics = send("GET", "/metrics", null, false);
        assertThat(metrics.body()).contains("resilience_queue_attempts_total{outcome=\"succeeded\",queue=\"example_queue\",type=\"order.created\"}");
    }
}
