package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
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
 * A three-master Redis Cluster of the test's own (redis-server and redis-cli on the PATH): a key's
 * limits share a hash tag, so the multi-key script runs in one slot, and keys spread over every node.
 */
class RedisClusterIT {

    private static final List<Process> nodes = new ArrayList<>();
    private static final List<Integer> ports = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        Path dir = Files.createTempDirectory("redis-cluster-test");
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            ports.add(port);
            nodes.add(new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf", "--cluster-node-timeout", "2000",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start());
        }
        for (int port : ports) {
            await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.isListening("127.0.0.1", port));
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        ports.forEach(port -> create.add("127.0.0.1:" + port));
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process cli = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(dir.resolve("create.log").toFile()).start();
        assertThat(cli.waitFor(30, TimeUnit.SECONDS)).as("redis-cli --cluster create finished").isTrue();
        assertThat(cli.exitValue()).as("redis-cli --cluster create: " + Files.readString(dir.resolve("create.log"))).isZero();
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
        try (RedisBackend backend = RedisBackend.builder().clusterUris("redis://127.0.0.1:" + ports.get(0)).connectTimeout(Duration.ofSeconds(5)).build();
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
