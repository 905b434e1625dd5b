package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.ratelimit.micrometer.RateLimitMetrics;
import dev.resilience.testkit.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's sample, kept compiling and working. */
class ReadmeExampleIT {

    // --- README sample start
    static HttpServer startServer(String redisUri, MeterRegistry registry) throws Exception {
        RedisBackend redis = RedisBackend.create(redisUri);
        RateLimitMetrics metrics = new RateLimitMetrics(registry);

        RateLimiter api = RedisRateLimiter.builder("api", RateLimitPolicy.of(
                        Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15)),
                        Limit.slidingWindow("ip1m", 30, Duration.ofMinutes(1))))
                .backend(redis)
                .instances(3)              // while Redis is down each of 3 instances admits a third
                .listener(metrics)
                .build();
        RateLimiter login = RedisRateLimiter.builder("login", RateLimitPolicy.of(
                        Limit.slidingWindow("login15m", 5, Duration.ofMinutes(15))))
                .backend(redis).instances(3).listener(metrics).build();

        RateLimitRules rules = RateLimitRules.builder()
                .exclude("/health")
                .route("/auth/login", login)
                .route("/api/**", api)
                .keyResolver(ClientIpResolver.builder()            // behind nginx/a load balancer in 10.0.0.0/8
                        .trustedProxies("10.0.0.0/8").proxyHeader(ProxyHeader.xForwardedFor()).build())
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        }).getFilters().add(new RateLimitHttpFilter(rules));
        server.start();
        return server;
    }
    // --- README sample end

    // --- README login sample start
    static LoginProtection loginProtection(RedisBackend redis) {
        LoginProtection protection = LoginProtection.builder()
                .redis(redis)                              // 5 failures per 15 min per username+address, block 15 min
                .instances(3)                              // while Redis is down each instance allows a third
                .growingBlocks(Duration.ofHours(4))        // repeat offenders: 30 min, 1 h, 2 h, 4 h within a day
                .build();
        return protection;
    }

    static int login(LoginProtection protection, String username, String password, String clientIp) {
        LoginAttempt attempt = protection.attempt(username, clientIp);   // reserved before the password check
        if (attempt.blocked()) {
            return 429;                                                  // with Retry-After: attempt.retryAfter()
        }
        if (passwordMatches(username, password)) {
            attempt.succeeded();                                         // gives the attempt back
            return 200;
        }
        attempt.failed();                                                // unknown user: the same
        return 401;
    }
    // --- README login sample end

    // --- README cost sample start
    static RateLimitRules batchRules(RateLimiter api) {
        RateLimitRules batches = RateLimitRules.builder()
                .route("/api/batch", api)
                .cost(request -> {                                         // a batch of n items takes n permits
                    String size = request.header("X-Batch-Size");
                    return size == null || !size.matches("\\d{1,6}") ? 1 : Math.max(1, Integer.parseInt(size));   // never free
                })
                .build();
        return batches;
    }
    // --- README cost sample end

    @Test
    void theReadmeCostSampleTakesTheBatchSize() {
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = batchRules(api);

        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/batch").header("X-Batch-Size", "30")).decision().remaining()).isEqualTo(70);
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/batch").header("X-Batch-Size", "lots")).decision().remaining()).isEqualTo(69);
    }

    @Test
    void theReadmeCostSampleNeverLetsAClientClaimAFreeRequest() {
        // a cost of 0 takes nothing: a client announcing an empty batch must still pay for its request
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = batchRules(api);
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            admitted += rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/batch").header("X-Batch-Size", i % 2 == 0 ? "0" : "000000"))
                    .admitted() ? 1 : 0;
        }

        assertThat(admitted).isEqualTo(100);
    }

    // --- README lists sample start
    static RateLimitRules guardedRules(RateLimiter api, String revokedApiKey) {
        RateLimitRules guarded = RateLimitRules.builder()
                .route("/api/**", api)
                .keyResolver(KeyResolver.apiKey("X-API-Key").orElse(KeyResolver.clientIp()))
                .clientIp(ClientIpResolver.builder().build())       // how the address lists find the client
                .allowAddresses("10.20.0.0/16")                     // monitoring: never limited
                .denyAddresses("203.0.113.66")                      // refused with 403
                .denyKeys(KeyResolver.apiKeyOf(revokedApiKey))      // a revoked API key, matched by its hash
                .build();
        return guarded;
    }
    // --- README lists sample end

    @Test
    void theReadmeListsSampleAllowsAndDenies() {
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = guardedRules(api, "revoked");

        assertThat(rules.evaluate(FakeRequest.from("10.20.3.4").path("/api/items"))).isNull();
        assertThat(rules.evaluate(FakeRequest.from("203.0.113.66").path("/api/items")).status()).isEqualTo(403);
        assertThat(rules.evaluate(FakeRequest.from("198.51.100.1").path("/api/items").header("X-API-Key", "revoked")).denied()).isTrue();
        assertThat(rules.evaluate(FakeRequest.from("198.51.100.1").path("/api/items")).admitted()).isTrue();
    }

    private static boolean passwordMatches(String username, String password) {
        return username.equals("alice") && password.equals("correct horse");
    }

    @Test
    void theReadmeLoginSampleBlocksAfterFiveFailures() {
        try (RedisServerProcess redis = RedisServerProcess.start();
             RedisBackend backend = RedisBackend.builder().uri(redis.uri()).commandTimeout(Duration.ofSeconds(5)).build()) {
            LoginProtection protection = loginProtection(backend);
            List<Integer> answers = new ArrayList<>();
            answers.add(login(protection, "alice", "correct horse", "198.51.100.1"));
            for (int i = 0; i < 6; i++) {
                answers.add(login(protection, "alice", "guess" + i, "198.51.100.1"));
            }
            answers.add(login(protection, "alice", "correct horse", "198.51.100.1"));

            assertThat(answers).containsExactly(200, 401, 401, 401, 401, 401, 429, 429);
        }
    }

    @Test
    void theReadmeSampleLimitsRequestsThroughRedis() throws Exception {
        try (RedisServerProcess redis = RedisServerProcess.start()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            HttpServer server = startServer(redis.uri(), registry);
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/items");
                HttpResponse<Void> response = null;
                for (int i = 0; i < 31; i++) {
                    response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                }

                assertThat(response.statusCode()).isEqualTo(429);
                assertThat(response.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"ip1m\";r=0;");
                assertThat(registry.get("resilience.ratelimit.redis.latency").tag("outcome", "success").timer().count()).isPositive();
            } finally {
                server.stop(0);
            }
        }
    }
}
