package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.examples.upstream.FlakyUpstream;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example service end to end, over HTTP, against the real PostgreSQL (database {@value #DATABASE},
 * created and dropped here) and the real Redis (keys under a prefix of this run, deleted afterwards).
 * One service serves most tests; each test is a different client (its own {@code X-Forwarded-For}
 * address, believed because the test runs as a trusted proxy) so their rate limits never meet. The
 * shutdown and Redis-failure tests start services of their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleServiceIT {

    static final String DATABASE = "resilience_example_it";
    static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    static final int API_LIMIT = 10;
    static final ObjectMapper JSON = new ObjectMapper();

    final String redisPrefix = "resilience-example-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path backupDir;
    ExampleService service;

    @BeforeAll
    void startService() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        service = ExampleService.start(ServiceConfig.fromEnv(env(Map.of())));
    }

    @AfterAll
    void stopService() throws Exception {
        if (service != null) {
            service.close();
        }
        deleteRedisKeys();
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    void createsAndReadsOrders() throws Exception {
        HttpResponse<String> created = send(service, "POST", "/api/orders", "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":2}", "198.51.100.1");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        JsonNode read = json(send(service, "GET", location, null, "198.51.100.1"));
        assertThat(read.get("customer").asText()).isEqualTo("ann");
        assertThat(read.get("quantity").asInt()).isEqualTo(2);
        JsonNode list = json(send(service, "GET", "/api/orders", null, "198.51.100.1"));
        assertThat(list.get("orders").findValuesAsText("id")).contains(read.get("id").asText());
        // the read went through the order cache, which holds it in Redis under the service's prefix
        assertThat(redisKeys(redisPrefix + "cache:orders:*{order:" + read.get("id").asText() + "}")).hasSize(1);
        assertThat(json(send(service, "GET", location, null, "198.51.100.1"))).isEqualTo(read);
    }

    static List<String> redisKeys(String pattern) {
        RedisClient client = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(pattern); // braces are not special in a Redis glob
        } finally {
            client.shutdown();
        }
    }

    @Test
    void rejectsAClientPastItsLimitWith429AndRateLimitHeaders() throws Exception {
        for (int i = 1; i <= API_LIMIT; i++) {
            HttpResponse<String> admitted = send(service, "GET", "/api/orders?limit=1", null, "198.51.100.2");
            assertThat(admitted.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(admitted.headers().firstValue("RateLimit").orElseThrow()).contains("r=" + (API_LIMIT - i));
        }

        HttpResponse<String> rejected = send(service, "GET", "/api/orders?limit=1", null, "198.51.100.2");

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
        assertThat(rejected.headers().firstValue("RateLimit-Policy").orElseThrow()).contains("q=" + API_LIMIT);
        assertThat(send(service, "GET", "/api/orders?limit=1", null, "198.51.100.3").statusCode())
                .as("another client is not limited").isEqualTo(200);
    }

    @Test
    void blocksAUserAfterFiveFailedLoginsEvenWithTheRightPassword() throws Exception {
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> failed = send(service, "POST", "/auth/login", "{\"user\":\"demo\",\"password\":\"guess-" + i + "\"}", "198.51.100.4");
            assertThat(failed.statusCode()).as("failure %d: %s", i, failed.body()).isEqualTo(401);
        }

        HttpResponse<String> blocked = send(service, "POST", "/auth/login", "{\"user\":\"demo\",\"password\":\"demo-password\"}", "198.51.100.4");

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(service, "POST", "/auth/login", "{\"user\":\"demo\",\"password\":\"demo-password\"}", "198.51.100.5").statusCode())
                .as("the same user from another address").isEqualTo(200);
    }

    @Test
    void answersFromTheFallbackAndOpensTheBreakerWhenTheUpstreamFails() throws Exception {
        JsonNode fresh = json(send(service, "GET", "/api/quote?item=lamp", null, "198.51.100.6"));
        assertThat(fresh.get("source").asText()).isEqualTo("upstream");
        json(send(service, "POST", "/upstream/control", "{\"failing\":true,\"delayMs\":0}", "198.51.100.6"));
        try {
            for (int i = 0; i < 3; i++) {
                JsonNode quote = json(send(service, "GET", "/api/quote?item=lamp", null, "198.51.100.6"));
                assertThat(quote.get("source").asText()).isEqualTo("fallback");
                assertThat(quote.get("price").asDouble()).as("the last known price").isEqualTo(fresh.get("price").asDouble());
            }

            JsonNode breakers = json(send(service, "GET", "/breakers", null, "198.51.100.6"));
            assertThat(breakers.get("breakers").get(0).get("state").asText()).isEqualTo("OPEN");
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                JsonNode upstream = json(send(service, "GET", "/health/detailed", null, "198.51.100.6")).get("checks").get("upstream").get(0);
                assertThat(upstream.get("status").asText()).isEqualTo("fail");
                assertThat(upstream.get("details").get("state").asText()).isEqualTo("OPEN");
            });
        } finally {
            send(service, "POST", "/upstream/control", "{\"failing\":false,\"delayMs\":0}", "198.51.100.6");
        }
    }

    @Test
    void publishesTheExpectedMetersForPrometheus() throws Exception {
        json(send(service, "GET", "/api/orders?limit=1", null, "198.51.100.7"));
        json(send(service, "GET", "/api/quote?item=pen", null, "198.51.100.7"));

        HttpResponse<String> metrics = send(service, "GET", "/metrics", null, "198.51.100.7");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains(
                "http_server_requests_seconds_count{", "uri=\"/api/orders\"",
                "resilience_circuitbreaker_state{", "resilience_retry_calls_total{", "resilience_timeout_calls_total{",
                "resilience_fallback_calls_total{", "hikaricp_connections_active{", "resilience_pool_queries_seconds_count{",
                "backup_success_total{", "health_status ", "jvm_memory_used_bytes{");
    }

    @Test
    void sendsTheJsonApiSecurityHeadersOnApiAndHealthAnswers() throws Exception {
        for (String path : List.of("/api/orders?limit=1", "/health")) {
            HttpResponse<String> response = send(service, "GET", path, null, "198.51.100.10");

            HttpHeaders headers = response.headers();
            assertThat(headers.allValues("Content-Security-Policy")).as(path).containsExactly("default-src 'none'; frame-ancestors 'none'");
            assertThat(headers.allValues("X-Content-Type-Options")).as(path).containsExactly("nosniff");
            assertThat(headers.allValues("X-Frame-Options")).as(path).containsExactly("DENY");
            assertThat(headers.allValues("Referrer-Policy")).as(path).containsExactly("no-referrer");
            assertThat(headers.allValues("Permissions-Policy")).as(path).singleElement().asString().contains("camera=()");
            assertThat(headers.allValues("Strict-Transport-Security")).as("%s: no HSTS over plain HTTP", path).isEmpty();
        }
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(service.baseUri().resolve("/admin/backups")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().allValues("X-Content-Type-Options")).as("an answer of another filter").containsExactly("nosniff");
    }

    @Test
    void keepsASecurityHeaderTheHandlerSetItselfWithoutSendingASecondOne() throws Exception {
        HttpResponse<String> quote = send(service, "GET", "/upstream/quote?item=cup", null, "198.51.100.10");

        assertThat(quote.statusCode()).isEqualTo(200);
        assertThat(quote.headers().allValues("Referrer-Policy")).containsExactly(FlakyUpstream.REFERRER_POLICY);
        assertThat(quote.headers().allValues("X-Frame-Options")).as("the others are still added").containsExactly("DENY");
    }

    @Test
    void takesAVerifiedBackupOnRequestAndListsIt() throws Exception {
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(service.baseUri().resolve("/admin/backups")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).as("without the token").isEqualTo(401);

        JsonNode taken = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> response = send(service, "POST", "/admin/backups", "", "198.51.100.8");
            return response.statusCode() == 409 ? null : json(response); // 409: the start-up backup is still running
        }, node -> node != null);

        assertThat(taken.get("verification").get("status").asText()).isEqualTo("PASSED");
        assertThat(taken.get("sha256").asText()).hasSize(64);
        JsonNode listed = json(send(service, "GET", "/admin/backups", null, "198.51.100.8"));
        assertThat(listed.get("backups").findValuesAsText("id")).contains(taken.get("id").asText());
    }

    @Test
    void finishesTheRequestInFlightWhenShutDownAndRefusesNewOnes() throws Exception {
        ExampleService stopping = ExampleService.start(ServiceConfig.fromEnv(env(Map.of("SHUTDOWN_GRACE", "10s"))));
        try {
            json(send(stopping, "POST", "/upstream/control", "{\"failing\":false,\"delayMs\":3000}", "198.51.100.9"));
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(request(stopping, "GET", "/upstream/quote?item=cup", null,
                    "198.51.100.9"), HttpResponse.BodyHandlers.ofString());
            // in flight: the slow request, plus the scrape that asks
            await().atMost(Duration.ofSeconds(10)).until(() -> activeRequests(stopping) >= 2);

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(stopping::close);

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> refusesNewRequests(stopping));
            assertThat(inFlight.get().statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(inFlight.get().body()).get("item").asText()).isEqualTo("cup");
            shutdown.get();
            assertThatThrownBy(() -> send(stopping, "GET", "/health/live", null, "198.51.100.9"))
                    .as("the listener is closed once shut down").isInstanceOf(IOException.class);
        } finally {
            stopping.close();
        }
    }

    @Test
    void fallsBackToInMemoryLimitsWhenRedisDiesAndSaysSoInHealth() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            ExampleService own = ExampleService.start(ServiceConfig.fromEnv(env(Map.of("REDIS_URI", redis.uri()))));
            try {
                assertThat(send(own, "GET", "/api/orders?limit=1", null, "198.51.100.10").statusCode()).isEqualTo(200);

                redis.kill();

                AtomicInteger client = new AtomicInteger();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    HttpResponse<String> stillServed = send(own, "GET", "/api/orders?limit=1", null, "203.0.113." + client.incrementAndGet());
                    assertThat(stillServed.statusCode()).isEqualTo(200);
                    assertThat(stillServed.headers().firstValue("RateLimit")).as("still limited, in memory").isPresent();
                    JsonNode limiter = json(send(own, "GET", "/health/detailed", null, "198.51.100.10")).get("checks").get("rate-limiter").get(0);
                    assertThat(limiter.get("status").asText()).isEqualTo("warn");
                });
            } finally {
                own.close();
            }
        }
    }

    /** The service's environment for this test: the real database and Redis, a free port, plus {@code extra}. */
    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", TestServices.postgresUrl(DATABASE));
        env.put("DB_POOL_SIZE", "4");
        env.put("REDIS_URI", TestServices.redisUri());
        env.put("REDIS_KEY_PREFIX", redisPrefix);
        // the machine running the tests is shared and loaded: give Redis time, so only a dead Redis means fallback
        env.put("REDIS_TIMEOUT", "1s");
        env.put("API_RATE_LIMIT", API_LIMIT + "/15m");
        env.put("TRUSTED_PROXIES", "127.0.0.1,::1");
        env.put("ADMIN_TOKEN", ADMIN_TOKEN);
        env.put("BACKUP_DIR", backupDir.resolve(UUID.randomUUID().toString()).toString());
        env.put("SHUTDOWN_DRAIN", "0s");
        env.put("UPSTREAM_TIMEOUT", "500ms");
        env.putAll(extra);
        return env;
    }

    HttpResponse<String> send(ExampleService target, String method, String path, String body, String client) throws IOException, InterruptedException {
        return http.send(request(target, method, path, body, client), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(ExampleService target, String method, String path, String body, String client) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.baseUri().resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-For", client)
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
        return request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .build();
    }

    double activeRequests(ExampleService target) throws Exception {
        for (String line : send(target, "GET", "/metrics", null, "198.51.100.9").body().split("\n")) {
            if (line.startsWith("http_server_requests_active")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    boolean refusesNewRequests(ExampleService target) {
        try {
            return send(target, "GET", "/health/live", null, "198.51.100.9").statusCode() == 503;
        } catch (IOException e) {
            return true; // the listener is already closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void deleteRedisKeys() {
        RedisClient client = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.matches(redisPrefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    connection.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
