package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Login protection on a redis-server of the test's own (one more is started and killed for the outage). */
class LoginProtectionIT {

    private static RedisServerProcess redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> commands;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final String prefix = "login-it-" + System.nanoTime() + ":";

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
        admin = RedisClient.create(redis.uri());
        adminConnection = admin.connect();
        commands = adminConnection.sync();
    }

    @AfterAll
    static void stopRedis() {
        adminConnection.close();
        admin.shutdown();
        redis.close();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A protection on its own connection, as another instance would have; the generous timeout keeps a loaded machine from falling back. */
    private LoginProtection instance(String uri, LoginProtection.Builder builder) {
        RedisBackend backend = RedisBackend.builder().uri(uri).commandTimeout(Duration.ofSeconds(5)).build();
        toClose.add(backend);
        LoginProtection protection = builder.redis(backend).keyPrefix(prefix).build();
        toClose.add(protection);
        return protection;
    }

    @Test
    void concurrentGuessesOnTwoInstancesNeverReachThePasswordCheckMoreThanTheMaximum() throws Exception {
        List<LoginProtection> instances = List.of(
                instance(redis.uri(), LoginProtection.builder().maxFailures(5)),
                instance(redis.uri(), LoginProtection.builder().maxFailures(5)));

        int checked = Concurrently.passwordChecks(instances, "alice", "198.51.100.1", 40);

        assertThat(checked).isEqualTo(5);
        assertThat(instances.get(1).attempt("alice", "198.51.100.1").blocked()).isTrue();
    }

    @Test
    void anAttemptAndEachOutcomeAreOneRoundTripEach() {
        LoginProtection protection = instance(redis.uri(), LoginProtection.builder().maxFailures(3).maxFailuresPerUsername(10));
        protection.attempt("warm-up", "192.0.2.1").succeeded(); // the first call also loads the script (EVAL)
        commands.configResetstat();

        LoginAttempt first = protection.attempt("bob", "198.51.100.2");
        Map<String, Long> afterAttempt = commandCalls();
        first.failed();
        Map<String, Long> afterFailure = commandCalls();
        protection.attempt("bob", "198.51.100.2").succeeded();
        Map<String, Long> afterSuccess = commandCalls();

        assertThat(afterAttempt.get("evalsha")).isEqualTo(1);
        assertThat(afterFailure.get("evalsha")).isEqualTo(2);
        assertThat(afterSuccess.get("evalsha")).isEqualTo(4);
        // everything else counted ran inside the script, or is this test's own INFO/CONFIG
        assertThat(afterSuccess.keySet()).allMatch(command -> Set.of("evalsha", "time", "zremrangebyscore", "zcard", "hget",
                "zadd", "pexpire", "zscore", "zrange", "hset", "del", "hdel", "zrem", "config|resetstat", "info").contains(command));
    }

    @Test
    void failuresCountAcrossInstancesAndKeysNeverHoldTheUsername() {
        LoginProtection first = instance(redis.uri(), LoginProtection.builder().maxFailures(3));
        LoginProtection second = instance(redis.uri(), LoginProtection.builder().maxFailures(3));

        first.attempt("alice", "198.51.100.1").failed();
        second.attempt("alice", "198.51.100.1").failed();
        LoginAttempt third = first.attempt("alice", "198.51.100.1").failed();

        assertThat(third.blocked()).isTrue();
        LoginAttempt seenElsewhere = second.attempt("alice", "198.51.100.1");
        assertThat(seenElsewhere.blocked()).isTrue();
        assertThat(seenElsewhere.retryAfter()).isGreaterThan(Duration.ofMinutes(14));
        assertThat(commands.keys("{" + prefix + "}*")).isNotEmpty().noneMatch(key -> key.contains("alice"))
                .allSatisfy(key -> assertThat(commands.pttl(key)).isPositive());
    }

    @Test
    void growingBlocksAreCountedInRedis() {
        LoginProtection protection = instance(redis.uri(), LoginProtection.builder().maxFailures(1)
                .blockDuration(Duration.ofMillis(300)).growingBlocks(Duration.ofSeconds(10)));

        LoginAttempt firstBlock = protection.attempt("carol", "198.51.100.3").failed();
        AtomicReference<LoginAttempt> afterBlock = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> !afterBlock.updateAndGet(a -> protection.attempt("carol", "198.51.100.3")).blocked());
        LoginAttempt secondBlock = afterBlock.get().failed();

        assertThat(firstBlock.retryAfter()).isLessThanOrEqualTo(Duration.ofMillis(300)).isGreaterThan(Duration.ZERO);
        assertThat(secondBlock.retryAfter()).isGreaterThan(Duration.ofMillis(300)).isLessThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void aBlockHoldsOnEveryInstanceThatSawItWhenRedisIsKilledAndComesBackEmpty() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            LoginProtection first = instance(own.uri(), LoginProtection.builder().maxFailures(3));
            LoginProtection second = instance(own.uri(), LoginProtection.builder().maxFailures(3));
            for (int i = 0; i < 3; i++) {
                first.attempt("alice", "198.51.100.1").failed();
            }
            assertThat(second.attempt("alice", "198.51.100.1").blocked()).isTrue();

            own.kill();
            List<LoginAttempt> duringOutage = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                duringOutage.add((i % 2 == 0 ? first : second).attempt("alice", "198.51.100.1"));
            }
            own.restart(); // empty: Redis forgot the block
            LoginAttempt afterRestart = first.attempt("alice", "198.51.100.1");

            assertThat(duringOutage).allMatch(LoginAttempt::blocked);
            assertThat(afterRestart.blocked()).isTrue();
            assertThat(afterRestart.retryAfter()).isGreaterThan(Duration.ofMinutes(14));
        }
    }

    @Test
    void failClosedRefusesEveryoneWhileRedisIsDown() {
        try (RedisServerProcess own = RedisServerProcess.start()) {
            LoginProtection protection = instance(own.uri(), LoginProtection.builder().outagePolicy(LoginOutagePolicy.FAIL_CLOSED));
            assertThat(protection.attempt("dave", "198.51.100.4").blocked()).isFalse();

            own.kill();

            assertThat(protection.attempt("erin", "198.51.100.5").blocked()).isTrue();
        }
    }

    private static Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : commands.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
                calls.put(command, Long.parseLong(count));
            }
        }
        return calls;
    }
}
