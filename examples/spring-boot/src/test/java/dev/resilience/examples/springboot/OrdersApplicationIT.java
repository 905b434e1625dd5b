package dev.resilience.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.pool.ResilientDataSource;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import java.sql.Connection;
import java.time.Duration;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example end to end, against the real PostgreSQL, Redis and {@code pg_dump}, over HTTP on a random port:
 * orders through the starter's {@link ResilientDataSource} with JdbcTemplate and {@code @Transactional}, the
 * retry and breaker around the flaky upstream, rate limits per client counted in Redis, login protection,
 * a backup through the scheduler listed verified by {@code /actuator/backups}, and Actuator's health groups
 * and Prometheus page showing the starter's checks and meters. A database, a backup folder and a Redis key
 * prefix of its own, removed afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability   // tests turn metrics export (so /actuator/prometheus) off unless asked
@Import(OrdersApplicationIT.ToggledCheck.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersApplicationIT {

    static final AtomicReference<HealthCheckResult> TOGGLED = new AtomicReference<>(HealthCheckResult.up());

    /** One more core HealthCheck bean, whose status the test sets. */
    @TestConfiguration
    static class ToggledCheck {
        @Bean
        HealthCheck toggled() {
            return TOGGLED::get;
        }
    }

    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String DATABASE = "sb_example_" + RUN;
    private static final String REDIS_PREFIX = "sb-example-it:" + RUN + ":";
    private static Path backups;

    @Autowired
    TestRestTemplate http;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    BackupScheduler scheduler;

    @Autowired
    PostgresBackup backup;

    @LocalServerPort
    int port;

    private final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + DATABASE);
        }
        backups = Files.createTempDirectory("sb-example-backups");
        registry.add("spring.datasource.url", () -> TestServices.postgresUrl(DATABASE));
        registry.add("spring.data.redis.url", TestServices::redisUri);
        registry.add("resilience.ratelimit.redis.key-prefix", () -> REDIS_PREFIX + "rl:");
        registry.add("resilience.ratelimit.login.key-prefix", () -> REDIS_PREFIX + "login:");
        registry.add("resilience.cache.defaults.key-prefix", () -> REDIS_PREFIX + "cache:");
        registry.add("resilience.backup.directory", () -> backups.toString());
        registry.add("resilience.backup.audit-log", () -> backups.resolve("audit.jsonl").toString());
        registry.add("resilience.backup.schedule.lock", () -> "local");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
        }
        try (Stream<Path> files = Files.walk(backups)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        RedisClient client = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            List<String> keys = redisKeys(redis);
            if (!keys.isEmpty()) {
                redis.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    @Order(1)
    void anOrderIsPricedThroughTheRetryAndStored() throws Exception {
        setFailureEvery(2);   // every second upstream request fails: the retry hides it
        for (int i = 0; i < 3; i++) {
            ResponseEntity<String> placed = http.postForEntity("/api/orders", Map.of("sku", "A-1", "quantity", 2), String.class);
            assertThat(placed.getStatusCode().value()).isEqualTo(200);
            JsonNode order = json.readTree(placed.getBody());
            assertThat(order.get("priceSource").asText()).isEqualTo("upstream");
            assertThat(order.get("total").decimalValue()).isEqualByComparingTo("25.00");
            ResponseEntity<String> read = http.getForEntity("/api/orders/" + order.get("id").asLong(), String.class);
            assertThat(json.readTree(read.getBody()).get("sku").asText()).isEqualTo("A-1");
        }
    }

    @Test
    @Order(2)
    void aSecondReadOfAnOrderComesFromTheCacheAndPlacingAnOrderEvictsItsCachedAbsence() throws Exception {
        setFailureEvery(0);
        long next = jdbc.queryForObject("select case when is_called then last_value + 1 else last_value end from orders_id_seq", Long.class);
        assertThat(http.getForEntity("/api/orders/" + next, String.class).getStatusCode().value()).isEqualTo(404);
        long before = poolStatements();
        assertThat(http.getForEntity("/api/orders/" + next, String.class).getStatusCode().value()).as("the absence is cached").isEqualTo(404);
        assertThat(poolStatements() - before).as("no query for a cached absence").isZero();

        ResponseEntity<String> placed = http.postForEntity("/api/orders", Map.of("sku", "A-1", "quantity", 1), String.class);
        long id = json.readTree(placed.getBody()).get("id").asLong();
        assertThat(id).isEqualTo(next);
        before = poolStatements();
        ResponseEntity<String> first = http.getForEntity("/api/orders/" + id, String.class);
        assertThat(first.getStatusCode().value()).as("the placed order evicted its cached absence").isEqualTo(200);
        assertThat(poolStatements() - before).as("the first read queries the database").isEqualTo(1);

        before = poolStatements();
        ResponseEntity<String> second = http.getForEntity("/api/orders/" + id, String.class);
        assertThat(second.getBody()).isEqualTo(first.getBody());
        assertThat(poolStatements() - before).as("the second read does not reach the database").isZero();
        assertThat(redisKeys()).as("stored in Redis under the test's prefix").anyMatch(key -> key.startsWith(REDIS_PREFIX + "cache:orders"));
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        assertThat(page).containsPattern("resilience_cache_gets_total\\{[^}]*cache=\"orders\"[^}]*result=\"hit\"[^}]*tier=\"local\"[^}]*} [1-9]");
        JsonNode health = json.readTree(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(health.at("/components/resilience/components/resilienceCacheHealthCheck/status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void aFailedReservationRollsTheOrderBack() {
        setFailureEvery(0);
        ResponseEntity<String> placed = http.postForEntity("/api/orders", Map.of("sku", "B-2", "quantity", 6), String.class);
        assertThat(placed.getStatusCode().value()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from orders where sku = 'B-2'", Integer.class)).isZero();
    }

    @Test
    @Order(3)
    void healthGroupsShowOurChecks() throws Exception {
        JsonNode health = json.readTree(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(health.at("/components/resilience/components/disk/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/circuitBreakers/components/pricing/status").asText()).isEqualTo("UP");

        assertThat(health.at("/components/resilience/components/toggled/status").asText()).isEqualTo("UP");
        // the pool, the limiters and the backups in the readiness group; with no backup yet, the scheduler
        // takes one at start (in the background), and the backup check is DOWN until it is stored
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);
            JsonNode ready = json.readTree(readiness.getBody());
            for (String check : List.of("resilientDataSourceHealthCheck", "rateLimitersHealthCheck", "postgresBackupHealthCheck")) {
                assertThat(ready.at("/components/resilience/components/" + check + "/status").asText()).as(check).isEqualTo("UP");
            }
            assertThat(readiness.getStatusCode().value()).isEqualTo(200);
        });

        // Actuator's probe groups hide their components: their status shows what they hold
        TOGGLED.set(HealthCheckResult.down("dependency lost"));
        try {
            assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(503);
            assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode().value()).isEqualTo(200);
        } finally {
            TOGGLED.set(HealthCheckResult.up());
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void prometheusShowsOurMetersAndCountsEachRequestOnce() {
        long before = requestCount("/api/orders/{id}");
        http.getForEntity("/api/orders/1", String.class);
        http.getForEntity("/api/orders/2", String.class);
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        assertThat(page).containsPattern("resilience_retry_calls_total\\{[^}]*name=\"pricing\"[^}]*result=\"success_with_retry\"[^}]*} [1-9]")
                .containsPattern("resilience_circuitbreaker_calls_total\\{[^}]*name=\"pricing\"[^}]*result=\"failure\"[^}]*} [1-9]")
                .containsPattern("resilience_circuitbreaker_state\\{[^}]*name=\"pricing\"[^}]*state=\"closed\"[^}]*} 1");
        // Actuator's own request metrics, and only them: two requests, two counts (no second filter of ours)
        assertThat(requestCount("/api/orders/{id}") - before).isEqualTo(2);
        // the pool's, the limiters' and the backups' meters in the same registry
        assertThat(page).containsPattern("resilience_pool_queries_seconds_count\\{[^}]*pool=\"orders\"[^}]*} [1-9]")
                .containsPattern("hikaricp_connections\\{[^}]*pool=\"orders\"[^}]*}")
                .containsPattern("resilience_ratelimit_decisions_total\\{[^}]*limiter=\"api\"[^}]*result=\"allowed\"[^}]*} [1-9]")
                .containsPattern("backup_success_total\\{[^}]*database=\"" + DATABASE + "\"[^}]*} [1-9]");
    }

    @Test
    @Order(5)
    void whenTheUpstreamIsDownTheBreakerOpensAndTheListPriceIsServed() throws Exception {
        setFailureEvery(1);
        String lastSource = "";
        for (int i = 0; i < 6; i++) {
            JsonNode order = json.readTree(http.postForEntity("/api/orders", Map.of("sku", "A-1", "quantity", 1), String.class).getBody());
            assertThat(order.get("total").decimalValue()).isEqualByComparingTo("10.00");
            lastSource = order.get("priceSource").asText();
        }
        assertThat(lastSource).isEqualTo("list price (CallNotPermittedException)");
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(json.readTree(health.getBody()).at("/components/circuitBreakers/components/pricing/status").asText())
                .isEqualTo("DOWN");
        // an open breaker around one upstream does not take the instance out of rotation
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    @Order(6)
    void theDataSourceIsTheResilientOneAndOrdersGoThroughIt() throws Exception {
        assertThat(dataSource).isInstanceOf(ResilientDataSource.class);
        assertThat(((ResilientDataSource) dataSource).name()).isEqualTo("orders");
        assertThat(jdbc.getDataSource()).isSameAs(dataSource);
        long before = poolStatements();

        ResponseEntity<String> placed = http.postForEntity("/api/orders", Map.of("sku", "A-1", "quantity", 1), String.class);

        assertThat(placed.getStatusCode().value()).isEqualTo(200);
        assertThat(poolStatements() - before).as("the order's statements timed by the pool").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(7)
    void theHundredAndFirstApiRequestOfAClientGets429WithRetryAfterWhileAnotherClientIsAdmitted() throws Exception {
        for (int i = 1; i <= 100; i++) {
            assertThat(from("127.0.0.2", "GET", "/api/orders/1", null).status()).as("request " + i).isEqualTo(200);
        }

        Response rejected = from("127.0.0.2", "GET", "/api/orders/1", null);

        assertThat(rejected.status()).isEqualTo(429);
        assertThat(Long.parseLong(rejected.header("Retry-After"))).isBetween(1L, 900L);
        assertThat(rejected.header("RateLimit")).startsWith("\"per15m\";r=0");
        assertThat(from("127.0.0.3", "GET", "/api/orders/1", null).status()).as("another client").isEqualTo(200);
        assertThat(from("127.0.0.2", "GET", "/actuator/health/liveness", null).status()).as("actuator is not limited").isEqualTo(200);
        assertThat(redisKeys()).as("counted in Redis under the client's address").anyMatch(key -> key.contains("127.0.0.2"));
    }

    @Test
    @Order(8)
    void aSpoofedForwardedForFromADirectClientDoesNotChangeItsKey() throws Exception {
        Response first = from("127.0.0.4", "GET", "/api/orders/1", null, "X-Forwarded-For: 203.0.113.1");
        Response second = from("127.0.0.4", "GET", "/api/orders/1", null, "X-Forwarded-For: 203.0.113.2");

        // one count for both: the header of a client that is no trusted proxy is ignored
        assertThat(first.header("RateLimit")).startsWith("\"per15m\";r=99;");
        assertThat(second.header("RateLimit")).startsWith("\"per15m\";r=98;");
        assertThat(redisKeys()).anyMatch(key -> key.contains("127.0.0.4")).noneMatch(key -> key.contains("203.0.113"));
    }

    @Test
    @Order(9)
    void fiveFailedLoginsBlockEvenTheRightPasswordWithRetryAfter() throws Exception {
        String right = "{\"user\":\"demo\",\"password\":\"demo-password\"}";
        String wrong = "{\"user\":\"demo\",\"password\":\"guess\"}";
        assertThat(from("127.0.0.5", "POST", "/auth/login", right).status()).isEqualTo(200);
        for (int i = 1; i <= 5; i++) {
            assertThat(from("127.0.0.5", "POST", "/auth/login", wrong).status()).as("failure " + i).isEqualTo(401);
        }

        Response blocked = from("127.0.0.5", "POST", "/auth/login", right);

        assertThat(blocked.status()).isEqualTo(429);
        // LoginController's answer for LoginProtection's block, not the filter's problem+json: the filter's
        // login route allows 20 failed requests per address, so it has not refused anything yet
        assertThat(blocked.body()).contains("too many failed logins").doesNotContain("\"status\"");
        assertThat(blocked.header("Content-Type")).startsWith("application/json");
        // 5 failures per 900 s in a sliding window: the same request fits again once the next window has faded
        // the five out enough to leave room for one more, at most 900 s + 900 s / 5 = 1080 s after the last one
        // (resilience-ratelimit README, "Retry-After: 1080 for 5 per 900 s")
        assertThat(Long.parseLong(blocked.header("Retry-After"))).isBetween(1L, 1080L);
        assertThat(redisKeys()).as("LoginProtection's failures, counted in Redis under its own prefix")
                .anyMatch(key -> key.startsWith("{" + REDIS_PREFIX + "login:}"));
        // per user and address: another user from the same address and the same user from another address
        assertThat(from("127.0.0.5", "POST", "/auth/login", "{\"user\":\"alice\",\"password\":\"guess\"}").status())
                .as("another user from the blocked address").isEqualTo(401);
        assertThat(from("127.0.0.6", "POST", "/auth/login", right).status()).as("the user from another address").isEqualTo(200);
    }

    @Test
    @Order(9)
    void theFilterCapsGuessesAcrossUsernamesAtTwentyFailuresPerAddress() throws Exception {
        // one wrong password for each of 20 usernames: LoginProtection (per user and address) never blocks
        for (int i = 1; i <= 20; i++) {
            Response guess = from("127.0.0.7", "POST", "/auth/login", "{\"user\":\"user" + i + "\",\"password\":\"guess\"}");
            assertThat(guess.status()).as("guess " + i).isEqualTo(401);
        }

        Response capped = from("127.0.0.7", "POST", "/auth/login", "{\"user\":\"user21\",\"password\":\"guess\"}");

        assertThat(capped.status()).isEqualTo(429);
        assertThat(capped.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(capped.header("Retry-After"))).isPositive();
        // the cap is per address: the demo user logs in from another one
        assertThat(from("127.0.0.8", "POST", "/auth/login", "{\"user\":\"demo\",\"password\":\"demo-password\"}").status())
                .isEqualTo(200);
    }

    @Test
    @Order(10)
    void aBackupRunThroughTheSchedulerIsListedVerifiedByTheEndpoint() throws Exception {
        assertThat(scheduler.runNow(BackupScheduler.Job.BACKUP)).isEqualTo(BackupScheduler.Outcome.COMPLETED);
        BackupManifest made = backup.latest().orElseThrow();
        assertThat(scheduler.runNow(BackupScheduler.Job.VERIFY)).as("the restore drill of the newest backup")
                .isEqualTo(BackupScheduler.Outcome.COMPLETED);

        JsonNode listed = json.readTree(http.getForEntity("/actuator/backups", String.class).getBody());

        assertThat(listed.get("database").asText()).isEqualTo(DATABASE);
        JsonNode entry = null;
        for (JsonNode candidate : listed.get("backups")) {
            if (candidate.get("id").asText().equals(made.id())) {
                entry = candidate;
            }
        }
        assertThat(entry).as("listed: " + listed).isNotNull();
        assertThat(entry.at("/verification/status").asText()).isEqualTo("PASSED");
        assertThat(entry.at("/verification/drill").asBoolean()).isTrue();
        assertThat(listed.has("nextBackup")).isTrue();
    }

    private void setFailureEvery(int every) {
        http.exchange("/upstream/failure-every", HttpMethod.PUT, new HttpEntity<>(every), Void.class);
    }

    private long requestCount(String uri) {
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{(.*)} ([0-9.]+)$", Pattern.MULTILINE).matcher(page);
        long total = 0;
        while (m.find()) {
            if (m.group(1).contains("uri=\"" + uri + "\"")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
    private long poolStatements() {
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        Matcher m = Pattern.compile("^resilience_pool_queries_seconds_count\\{(.*)} ([0-9.]+)$", Pattern.MULTILINE).matcher(page);
        long total = 0;
        while (m.find()) {
            if (m.group(1).contains("pool=\"orders\"")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    /** A response of {@link #from}. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One HTTP/1.1 request from a loopback address of the test's choosing, so each address is a client of its own. */
    private Response from(String clientAddress, String method, String path, String body, String... headers) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(clientAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            if (body != null) {
                request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            Map<String, String> parsed = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                parsed.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), parsed, text.substring(end + 4));
        }
    }

    private static List<String> redisKeys() {
        RedisClient client = RedisClient.create(TestServices.redisUri());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            return redisKeys(redis);
        } finally {
            client.shutdown();
        }
    }

    /**
     * This run's keys, by SCAN (never KEYS or FLUSH on the shared server): those under the prefix and the login
     * protection's, which all share the hash tag {@code {<its prefix>}} and so start with a brace.
     */
    private static List<String> redisKeys(StatefulRedisConnection<String, String> redis) {
        List<String> keys = new ArrayList<>();
        for (String pattern : List.of(REDIS_PREFIX + "*", "{" + REDIS_PREFIX + "*")) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
        }
        return keys;
    }
}
