package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import dev.resilience.testkit.RedisClusterProcess;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A three-master Redis Cluster of the test's own (redis-server and redis-cli on the PATH: the test fails
 * naming the missing one and how to install it): a key's limits share a hash tag, so the multi-key script
 * runs in one slot, and keys spread over every node. The last test changes the cluster: it moves a slot and
 * fails a master over while traffic runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static RedisClusterProcess cluster;
    private static List<Integer> ports;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3);
        ports = cluster.masterPorts();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
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

    /**
     * While two threads ask for keys of one slot, the slot moves to another master
     * ({@code SETSLOT IMPORTING/MIGRATING}, {@code MIGRATE}, {@code SETSLOT NODE}), then a replica of that
     * master takes over when the master is killed. After each, within a bounded time, decisions come from
     * Redis again (a fresh key of the slot is written there and no fallback is active); no caller ever got
     * an exception.
     */
    @Test
    @Order(2)
    void decisionsReturnToRedisAfterASlotMovesAndAMasterFailsOver() throws Exception {
        String hot = "slot-mover";
        int slot = SlotHash.getSlot(hot);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger exceptions = new AtomicInteger();
        AtomicLong decisions = new AtomicLong();
        ExecutorService traffic = Executors.newFixedThreadPool(2);
        try (RedisBackend backend = RedisBackend.builder().clusterUris("redis://127.0.0.1:" + ports.get(0)).connectTimeout(Duration.ofSeconds(5))
                .commandTimeout(Duration.ofMillis(500)).build();
             RedisRateLimiter limiter = RedisRateLimiter.builder("moving", RateLimitPolicy.of(
                             Limit.fixedWindow("day", 1_000_000, Duration.ofDays(1)),
                             Limit.tokenBucket("bucket", 1_000_000, 1_000_000, Duration.ofHours(1))))
                     .backend(backend).keyPrefix("it:").build()) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                running.add(traffic.submit(() -> {
                    while (!stop.get()) {
                        try {
                            limiter.tryAcquire(hot);
                            decisions.incrementAndGet();
                        } catch (RuntimeException e) {
                            exceptions.incrementAndGet();
                        }
                    }
                }));
            }
            AtomicInteger fresh = new AtomicInteger();
            int source = ownerPort(slot, ports.get(0));
            awaitDecisionsFromRedis(limiter, source, slot, fresh);

            // (a) move the slot to another master

            int target = ports.stream().filter(p -> p != source).findFirst().orElseThrow();
            String sourceId = node(source, c -> c.clusterMyId());
            String targetId = node(target, c -> c.clusterMyId());
            node(target, c -> c.clusterSetSlotImporting(slot, sourceId));
            node(source, c -> c.clusterSetSlotMigrating(slot, targetId));
            long before = decisions.get();
            node(source, c -> {
                List<String> keys;
                while (!(keys = c.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                    c.migrate("127.0.0.1", target, 0, 5000, MigrateArgs.Builder.keys(keys));
                }
                return null;
            });
            for (int port : ports) {
                node(port, c -> c.clusterSetSlotNode(slot, targetId));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ownerPort(slot, source) == target);
            awaitDecisionsFromRedis(limiter, source, slot, fresh);
            assertThat(decisions.get()).as("decisions while the slot moved").isGreaterThan(before);

            // (b) a replica of the new owner takes over
            int replica = cluster.startNode();
            node(replica, c -> c.clusterMeet("127.0.0.1", target));
            await().atMost(Duration.ofSeconds(15)).until(() -> node(replica, c -> c.clusterNodes()).contains(targetId));
            node(replica, c -> c.clusterReplicate(targetId));
            await().atMost(Duration.ofSeconds(20)).until(() -> node(replica, c -> c.info("replication")).contains("master_link_status:up"));
            before = decisions.get();
            cluster.kill(target); // the other masters notice within the node timeout (2 s) and promote the replica
            await().atMost(Duration.ofSeconds(20)).until(() -> ownerPort(slot, source) == replica);
            awaitDecisionsFromRedis(limiter, source, slot, fresh);
            assertThat(decisions.get()).as("decisions through the failover").isGreaterThan(before);

            stop.set(true);
            for (Future<?> thread : running) {
                thread.get(10, TimeUnit.SECONDS);
            }
            assertThat(exceptions).as("callers that got an exception").hasValue(0);
        } finally {
            stop.set(true);
            traffic.shutdownNow();
        }
    }

    /**
     * Waits (at most 20 s) until the limiter decides from Redis: no fallback is active and a fresh key of
     * {@code slot} it was asked about exists in the cluster (the fallback writes nothing there).
     */
    private static void awaitDecisionsFromRedis(RedisRateLimiter limiter, int viewPort, int slot, AtomicInteger fresh) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String key = freshKeyIn(slot, fresh);
            boolean admitted = limiter.tryAcquire(key).allowed();
            return admitted && !limiter.fallbackActive()
                    && !node(ownerPort(slot, viewPort), c -> c.keys("it:{" + key + "}*")).isEmpty();
        });
    }

    /** A key never asked about before whose limiter keys hash to {@code slot}. */
    private static String freshKeyIn(int slot, AtomicInteger fresh) {
        while (true) {
            String key = "probe-" + fresh.incrementAndGet();
            if (SlotHash.getSlot(key) == slot) {
                return key;
            }
        }
    }

    /** The port of the master serving {@code slot}, as the node on {@code viewPort} sees it. */
    private static int ownerPort(int slot, int viewPort) {
        for (String line : node(viewPort, c -> c.clusterNodes()).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
                for (int i = 8; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    if (range[0].startsWith("[")) {
                        continue;
                    }
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    }
                }
            }
        }
        return -1;
    }

    private static <T> T node(int port, Function<RedisCommands<String, String>, T> command) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return command.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }

    private static List<Long> keysPerNode() {
        return ports.stream().map(cluster::keyCount).toList();
    }

}
