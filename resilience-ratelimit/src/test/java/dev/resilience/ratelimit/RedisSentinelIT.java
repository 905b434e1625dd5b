package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Redis master and one Sentinel monitoring it, both of the test's own (redis-server on the PATH, run
 * with {@code --sentinel}): a backend built from a {@code redis-sentinel://} URI asks the Sentinel for
 * the master and decides there.
 */
class RedisSentinelIT {

    private static RedisServerProcess master;
    private static Process sentinel;
    private static int sentinelPort;
    private static Path sentinelLog;

    @BeforeAll
    static void startMasterAndSentinel() throws Exception {
        String server = RedisBinaries.require("redis-server", "RedisSentinelIT runs a Redis Sentinel of its own (redis-server --sentinel)");
        master = RedisServerProcess.start();
        Path dir = Files.createTempDirectory("redis-sentinel-test");
        sentinelPort = freePort();
        Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites it, so it lives in the test's own directory
        Files.writeString(conf, String.join("\n",
                "port " + sentinelPort,
                "bind 127.0.0.1",
                "dir " + dir,
                "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1",
                "sentinel down-after-milliseconds mymaster 1000",
                "sentinel failover-timeout mymaster 5000", ""));
        sentinelLog = dir.resolve("sentinel.log");
        sentinel = new ProcessBuilder(server, conf.toString(), "--sentinel")
                .redirectErrorStream(true).redirectOutput(sentinelLog.toFile()).start();
        await().atMost(Duration.ofSeconds(10))
                .failFast("the sentinel exited: " + sentinelLog, () -> !sentinel.isAlive())
                .until(() -> TestServices.isListening("127.0.0.1", sentinelPort));
        RedisClient client = RedisClient.create();
        try (StatefulRedisSentinelConnection<String, String> connection =
                     client.connectSentinel(RedisURI.create("redis://127.0.0.1:" + sentinelPort))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                InetSocketAddress address = (InetSocketAddress) connection.sync().getMasterAddrByName("mymaster");
                return address != null && address.getPort() == master.port();
            });
        } finally {
            client.shutdown();
        }
    }

    @AfterAll
    static void stopMasterAndSentinel() throws InterruptedException {
        try {
            if (sentinel != null) {
                sentinel.destroyForcibly();
                sentinel.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (master != null) {
                master.close();
            }
        }
    }

    @Test
    void decisionsGoToTheMasterTheSentinelNames() throws Exception {
        try (RedisBackend backend = RedisBackend.create("redis-sentinel://127.0.0.1:" + sentinelPort + "#mymaster");
             RedisRateLimiter limiter = RedisRateLimiter.builder("sentinel", RateLimitPolicy.of(
                             Limit.fixedWindow("day", 3, Duration.ofDays(1)),
                             Limit.slidingWindow("hour", 10, Duration.ofHours(1))))
                     .backend(backend).keyPrefix("it:").build()) {
            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                allowed.add(limiter.tryAcquire("client").allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false, false);
            assertThat(limiter.fallbackActive()).isFalse();
            assertThat(backend.description()).isEqualTo("sentinel:mymaster@127.0.0.1:" + sentinelPort);
            RedisClient client = RedisClient.create(master.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                assertThat(redis.keys("it:{client}:*")).containsExactlyInAnyOrder("it:{client}:day", "it:{client}:hour");
                assertThat(redis.ttl("it:{client}:day")).isPositive();
                assertThat(redis.ttl("it:{client}:hour")).isPositive();
            } finally {
                client.shutdown();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
