package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * A three-master Redis Cluster of the test's own (redis-server and redis-cli on the PATH: the test fails
 * naming the missing one and how to install it): a key's limits share a hash tag, so the multi-key script
 * runs in one slot, and keys spread over every node.
 */
class RedisClusterIT {

    private static final List<Process> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        String why = "RedisClusterIT builds a Redis Cluster of its own";
        String server = RedisBinaries.require("redis-server", why);
        String cli = RedisBinaries.require("redis-cli", why);
        Path dir = Files.createTempDirectory("redis-cluster-test");
        for (int i = 0; i < 3; i++) {
            int port = FreePort.next();
            ports.add(port);
            nodes.add(new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
        }
        for (int port : ports) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.isListening("127.0.0.1", port));
        }
        List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
        ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process creating = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(dir.resolve("create.log").toFile()).start();
        assertThat(creating.waitFor(30, TimeUnit.SECONDS)).as("redis-cli --cluster create finished").isTrue();
        assertThat(creating.exitValue()).as("redis-cli --cluster create: " + Files.readString(dir.resolve("create.log"))).isZero();
        for (int port : ports) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> connection.sync().clusterInfo().contains("cluster_state:ok"));
            } finally {
                client.shutdown();
            }
        }
    }

    @AfterAll
    static void stopCluster() throws InterruptedException {
        for (Process node : nodes) {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void multiLimitDecisionsWorkOnEveryNodeOfACluster() throws Exception {
        // a generous command timeout: this test is about decisions, and on a loaded machine a 50 ms timeout
        // would let the fallback decide (and admit) now and then
        try (RedisBackend backend = RedisBackend.builder().clusterUris("redis://127.0.0.1:" + ports.get(0)).connectTimeout(Duration.ofSeconds(5))
                .commandTimeout(Duration.ofMillis(500)).build();
             RedisRateLimiter limiter = RedisRateLimiter.builder("cluster", RateLimitPolicy.of(
                             Limit.fixedWindow("day", 3, Duration.ofDays(1)),
                             Limit.slidingWindow("hour", 10, Duration.ofHours(1)),
                             Limit.tokenBucket("bucket", 10, 10, Duration.ofHours(1))))
                     .backend(backend).keyPrefix("it:").build()) {
            int admitted = 0;
            for (int client = 0; client < 50; client++) {
                for (int i = 0; i < 5; i++) {
                    if (limiter.tryAcquire("client-" + client).allowed()) {
                        admitted++;
                    }
                }
            }

            assertThat(admitted).isEqualTo(50 * 3);
            assertThat(limiter.fallbackActive()).isFalse();
            assertThat(keysPerNode()).allMatch(count -> count > 0); // the 50 clients spread over all masters
        }
    }

    private static List<Long> keysPerNode() {
        List<Long> counts = new ArrayList<>();
        for (int port : ports) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                counts.add(connection.sync().dbsize());
            } finally {
                client.shutdown();
            }
        }
        return counts;
    }

}
