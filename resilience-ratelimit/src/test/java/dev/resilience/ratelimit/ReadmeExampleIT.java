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
                .keyResolver(ClientIpResolver.builder().trustedProxies("10.0.0.0/8").proxyHeader(ProxyHeader.xForwardedFor()).build())
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
