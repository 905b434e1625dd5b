package dev.resilience.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import dev.resilience.testkit.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web application (embedded Tomcat on a random port) with the starter's rate limit filter,
 * counting in a password-protected Redis of the test's own that is configured only through
 * {@code spring.data.redis.*}: a spoofed X-Forwarded-For from an untrusted client gains nothing, and when
 * Redis is killed the filter keeps answering from its fallback and the limit still holds.
 */
@SpringBootTest(classes = RateLimitSpringBootIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
            "resilience.pool.enabled=false", "resilience.backup.enabled=false",
            "resilience.ratelimit.limiters.spoof.limits.perMinute.permits=5",
            "resilience.ratelimit.limiters.spoof.limits.perMinute.window=1m",
            "resilience.ratelimit.limiters.outage.limits.perMinute.permits=4",
            "resilience.ratelimit.limiters.outage.limits.perMinute.window=1m",
            "resilience.ratelimit.filter.routes[0].path=/spoof/**",
            "resilience.ratelimit.filter.routes[0].limiter=spoof",
            "resilience.ratelimit.filter.routes[1].path=/outage/**",
            "resilience.ratelimit.filter.routes[1].limiter=outage",
            "resilience.ratelimit.filter.client-ip.trusted-proxies=10.255.255.1",
            "resilience.ratelimit.filter.client-ip.proxy-header=x-forwarded-for"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitSpringBootIT {

    private static final String PASSWORD = "it-" + UUID.randomUUID();
    private static final String PREFIX = "starter-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start(List.of("requirepass " + PASSWORD));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @DynamicPropertySource
    static void redisProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> redis.port());
        registry.add("spring.data.redis.password", () -> PASSWORD);
        registry.add("resilience.ratelimit.redis.key-prefix", () -> PREFIX);
    }

    @LocalServerPort
    int port;
    @Autowired
    RateLimiters limiters;
    @Autowired
    RedisBackend backend;
    @Autowired
    MeterRegistry meters;
    @Autowired
    @Qualifier("rateLimitersHealthCheck")
    HealthCheck health;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Order(1)
    void aSpoofedForwardedForFromAnUntrustedClientDoesNotChangeItsKey() throws Exception {
        assertThat(limiters.get("spoof")).isInstanceOf(RedisRateLimiter.class);
        for (int i = 1; i <= 5; i++) {
            assertThat(get("/spoof/x", "203.0.113." + i).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> sixth = get("/spoof/x", "198.51.100.77");

        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.headers().firstValue("Retry-After")).isPresent();
        assertThat(sixth.body()).contains("\"status\":429");
        assertThat(redisKeys()).as("counted in Redis, under the socket address").anyMatch(key -> key.contains("127.0.0.1") && key.contains("spoof"));
        assertThat(redisKeys()).noneMatch(key -> key.contains("203.0.113") || key.contains("198.51.100"));
        assertThat(meters.get("resilience.ratelimit.decisions").tag("limiter", "spoof").tag("result", "rejected").counter().count())
                .as("decisions counted in the application's registry").isEqualTo(1.0);
    }

    @Test
    @Order(2)
    void whenRedisIsKilledTheFilterKeepsAnsweringAndTheLimitHolds() throws Exception {
        assertThat(get("/outage/x", null).statusCode()).isEqualTo(200);
        assertThat(get("/outage/x", null).statusCode()).isEqualTo(200);
        assertThat(redisKeys()).anyMatch(key -> key.contains("outage"));
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);

        redis.kill();

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long start = System.nanoTime();
            statuses.add(get("/outage/x", null).statusCode());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered without waiting for Redis").isLessThan(Duration.ofSeconds(2));
        }
        assertThat(statuses).as("every request answered by the filter: " + statuses).allMatch(s -> s == 200 || s == 429);
        assertThat(statuses.stream().filter(s -> s == 200).count()).as("the fallback holds the limit of 4: " + statuses).isLessThanOrEqualTo(4);
        assertThat(statuses.subList(4, 8)).as("rejected once the fallback's limit is used: " + statuses).containsOnly(429);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health.check().status()).isEqualTo(HealthStatus.DEGRADED));
        // the backend's probe runs every second, independently of the limiters' fallback: wait for it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backend.isReachable()).isFalse());
    }

    private HttpResponse<String> get(String path, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> redisKeys() {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withPassword(PASSWORD.toCharArray()).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().keys(PREFIX + "*");
        } finally {
            client.shutdown();
        }
    }

    @RestController
    static class Hello {
        @GetMapping("/{area}/{name}")
        String hello(@PathVariable String area, @PathVariable String name) {
            return "ok " + area + " " + name;
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @org.springframework.context.annotation.Bean
        Hello hello() {
            return new Hello();
        }
    }
}
