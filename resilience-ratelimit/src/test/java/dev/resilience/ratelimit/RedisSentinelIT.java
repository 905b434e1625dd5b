package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.testkit.RedisBinaries;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Redis master, a replica and one Sentinel monitoring them, all of the test's own (redis-server on the
 * PATH, the Sentinel run with {@code --sentinel}): a backend built from a {@code redis-sentinel://} URI
 * asks the Sentinel for the master, decides there, and follows a failover to the promoted replica.
 */
class RedisSentinelIT {

    private static final RateLimitPolicy POLICY = RateLimitPolicy.of(
            Limit.fixedWindow("day", 3, Duration.ofDays(1)),
            Limit.slidingWindow("hour", 10, Duration.ofHours(1)));

    @Test
    void decisionsGoToTheMasterTheSentinelNames() throws Exception {
        try (SentinelTopology redis = SentinelTopology.start();
             RedisBackend backend = RedisBackend.create(redis.sentinelUri());
             RedisRateLimiter limiter = RedisRateLimiter.builder("sentinel", POLICY).backend(backend).keyPrefix("it:").build()) {
            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                allowed.add(limiter.tryAcquire("client").allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false, false);
            assertThat(limiter.fallbackActive()).isFalse();
            assertThat(backend.description()).isEqualTo("sentinel:mymaster@127.0.0.1:" + redis.sentinelPort);
            redis.onMaster(master -> {
                assertThat(master.keys("it:{client}:*")).containsExactlyInAnyOrder("it:{client}:sentinel:day:fw", "it:{client}:sentinel:hour:sw");
                assertThat(master.ttl("it:{client}:sentinel:day:fw")).isPositive();
                assertThat(master.ttl("it:{client}:sentinel:hour:sw")).isPositive();
                return null;
            });
        }
    }

    @Test
    void afterTheMasterDiesDecisionsMoveToTheReplicaTheSentinelPromotes() throws Exception {
        try (SentinelTopology redis = SentinelTopology.start();
             RedisBackend backend = RedisBackend.create(redis.sentinelUri());
             RedisRateLimiter limiter = RedisRateLimiter.builder("sentinel", POLICY).backend(backend).keyPrefix("it:")
                     .circuitBreaker(CircuitBreaker.builder("sentinel.redis").countBasedWindow(3).minimumNumberOfCalls(3)
                             .openDuration(Duration.ofMillis(100)).permittedCallsInHalfOpen(1).build())
                     .build()) {
            assertThat(limiter.tryAcquire("before").allowed()).isTrue();

            redis.master.kill();
            assertThat(limiter.tryAcquire("during").allowed()).isTrue(); // no exception: the fallback decides
            await().atMost(Duration.ofSeconds(20)).until(() -> redis.masterPortNamedBySentinel() == redis.replicaPort);
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                limiter.tryAcquire("after");
                return !limiter.fallbackActive();
            });

            assertThat(limiter.tryAcquire("after").allowed()).isTrue();
            List<String> keysOnPromotedReplica = redis.onReplica(replica -> replica.keys("it:{after}:*"));
            assertThat(keysOnPromotedReplica).containsExactlyInAnyOrder("it:{after}:sentinel:day:fw", "it:{after}:sentinel:hour:sw");
        }
    }

    /** Master, replica and Sentinel processes; closing stops every one that was started. */
    private static final class SentinelTopology implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();
        private final Path dir;
        private RedisServerProcess master;
        private int replicaPort;
        private int sentinelPort;

        private SentinelTopology(Path dir) {
            this.dir = dir;
        }

        static SentinelTopology start() throws Exception {
            String server = RedisBinaries.require("redis-server", "RedisSentinelIT runs a Redis Sentinel of its own (redis-server --sentinel)");
            SentinelTopology topology = new SentinelTopology(Files.createTempDirectory("redis-sentinel-test"));
            try {
                topology.launch(server);
                return topology;
            } catch (Exception | AssertionError e) {
                topology.close();
                throw e;
            }
        }

        private void launch(String server) throws Exception {
            master = RedisServerProcess.start();
            onMaster(redis -> redis.configSet("repl-diskless-sync-delay", "0")); // the replica syncs at once, not after 5 s
            replicaPort = TestServices.freeLoopbackPort();
            start("replica", replicaPort, server, "--port", Integer.toString(replicaPort), "--bind", "127.0.0.1",
                    "--replicaof", "127.0.0.1", Integer.toString(master.port()),
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--protected-mode", "no");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                    onReplica(replica -> replica.info("replication").contains("master_link_status:up")));
            // started after the replica is linked, so its first look at the master already sees the replica
            sentinelPort = TestServices.freeLoopbackPort();
            Path conf = dir.resolve("sentinel.conf"); // Sentinel rewrites it, so it lives in the test's own directory
            Files.writeString(conf, String.join("\n",
                    "port " + sentinelPort,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds mymaster 1000",
                    "sentinel failover-timeout mymaster 5000", ""));
            start("sentinel", sentinelPort, server, conf.toString(), "--sentinel");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> masterPortNamedBySentinel() == master.port());
        }

        private void start(String role, int port, String... command) throws IOException {
            Path log = dir.resolve(role + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            processes.add(process);
            await().atMost(Duration.ofSeconds(10))
                    .failFast(role + " exited, see " + log, () -> !process.isAlive())
                    .until(() -> TestServices.isListening("127.0.0.1", port));
        }

        String sentinelUri() {
            return "redis-sentinel://127.0.0.1:" + sentinelPort + "#mymaster";
        }

        int masterPortNamedBySentinel() {
            RedisClient client = RedisClient.create();
            try (StatefulRedisSentinelConnection<String, String> connection =
                         client.connectSentinel(RedisURI.create("redis://127.0.0.1:" + sentinelPort))) {
                InetSocketAddress address = (InetSocketAddress) connection.sync().getMasterAddrByName("mymaster");
                return address == null ? -1 : address.getPort();
            } finally {
                client.shutdown();
            }
        }

        <T> T onMaster(Function<RedisCommands<String, String>, T> work) {
            return on(master.port(), work);
        }

        <T> T onReplica(Function<RedisCommands<String, String>, T> work) {
            return on(replicaPort, work);
        }

        private static <T> T on(int port, Function<RedisCommands<String, String>, T> work) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                return work.apply(connection.sync());
            } finally {
                client.shutdown();
            }
        }

        @Override
        public void close() throws InterruptedException {
            for (Process process : processes) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            if (master != null) {
                master.close();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind is harmless
            }
        }
    }
}
