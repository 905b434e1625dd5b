package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.RedisBinaries;
import dev.resilience.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a redis-server with TIME disabled, as some managed offerings forbid it in scripts. */
class RedisWithoutTimeInScriptsIT {

    private static final RateLimitPolicy POLICY = RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1)));
    private static Process redis;
    private static int port;

    @BeforeAll
    static void startRedisWithoutTime() throws Exception {
        port = TestServices.freeLoopbackPort();
        Path dir = Files.createTempDirectory("redis-no-time");
        redis = new ProcessBuilder(List.of(RedisBinaries.require("redis-server", "this test runs a Redis without TIME"),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--rename-command", "TIME", ""))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.isListening("127.0.0.1", port));
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.destroyForcibly().waitFor();
    }

    @Test
    void buildingAServerTimeLimiterFailsSayingToUseClientTime() {
        try (RedisBackend backend = RedisBackend.create("redis://127.0.0.1:" + port)) {
            assertThatThrownBy(() -> RedisRateLimiter.builder("api", POLICY).backend(backend).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refuses TIME in scripts")
                    .hasMessageContaining("clientTime(true)");
        }
    }

    @Test
    void aClientTimeLimiterDecidesOnRedis() {
        try (RedisBackend backend = RedisBackend.create("redis://127.0.0.1:" + port);
             RedisRateLimiter limiter = RedisRateLimiter.builder("api", POLICY).backend(backend).clientTime(true).build()) {

            assertThat(InMemoryRateLimiterTest.acquireAll(limiter, "client", 7)).isEqualTo(5);
            assertThat(limiter.fallbackActive()).isFalse();
        }
    }
}
