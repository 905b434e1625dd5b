package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TcpProxy;
import dev.resilience.ratelimit.micrometer.RateLimitMetrics;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a redis-server of the test's own, which it kills and restarts. Each test writes under a key
 * prefix of its own, so no test sees another's keys and nothing is ever flushed.
 */
class RedisRateLimiterIT {

    private static RedisServerProcess redis;
    private static RedisClient admin;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> commands;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final String prefix = "it:" + UUID.randomUUID() + ":";

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

    @BeforeEach
    void runningRedis() {
        if (!redis.isRunning()) {
            redis.restart();
        }
    }

    @AfterEach
    void closeLimiters() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /**
     * A backend with a generous command timeout: these tests are about decisions, not latency, and a
     * loaded CI machine must not push them into the fallback. The slow-Redis test sets its own.
     */
    private RedisBackend backend(String uri) {
        return backend(uri, Duration.ofMillis(500));
    }

    private RedisBackend backend(String uri, Duration commandTimeout) {
        RedisBackend backend = RedisBackend.builder().uri(uri).commandTimeout(commandTimeout).build();
        toClose.add(backend);
        await().atMost(Duration.ofSeconds(5)).until(backend::isConnected);
        return backend;
    }

    private RedisRateLimiter limiter(RedisBackend backend, RateLimitPolicy policy) {
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", policy).backend(backend).keyPrefix(prefix).build();
        toClose.add(limiter);
        return limiter;
    }

    @Test
    void instancesSharingRedisAdmitExactlyTheFixedWindowLimit() throws Exception {
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("day", 600, Duration.ofDays(1)));
        List<RedisRateLimiter> instances = List.of(
                limiter(backend(redis.uri()), policy), limiter(backend(redis.uri()), policy), limiter(backend(redis.uri()), policy));

        int admitted = hammer(instances, "shared", 9, 150);

        assertThat(admitted).isEqualTo(600);
    }

    @Test
    void instancesSharingRedisStayWithinTheTokenBucketAndSlidingWindowTolerance() throws Exception {
        RateLimitPolicy bucket = RateLimitPolicy.of(Limit.tokenBucket("bucket", 400, 400, Duration.ofDays(1)));
        RateLimitPolicy sliding = RateLimitPolicy.of(Limit.slidingWindow("sliding", 400, Duration.ofDays(1)));

        int byBucket = hammer(List.of(limiter(backend(redis.uri()), bucket), limiter(backend(redis.uri()), bucket)), "b", 6, 150);
        int bySliding = hammer(List.of(limiter(backend(redis.uri()), sliding), limiter(backend(redis.uri()), sliding)), "s", 6, 150);

        // refill during the test is a fraction of a permit; the sliding window never admits above its limit
        assertThat(byBucket).isBetween(400, 401);
        assertThat(bySliding).isBetween(390, 400);
    }

    @Test
    void eachDecisionIsOneRoundTrip() {
        RedisRateLimiter limiter = limiter(backend(redis.uri()), RateLimitPolicy.of(
                Limit.fixedWindow("second", 10, Duration.ofSeconds(1)),
                Limit.slidingWindow("minute", 100, Duration.ofMinutes(1)),
                Limit.tokenBucket("bucket", 50, 50, Duration.ofMinutes(1))));
        limiter.tryAcquire("warm-up"); // after a restart the first call also loads the script (EVAL)
        commands.configResetstat();

        for (int i = 0; i < 40; i++) {
            limiter.tryAcquire("client-" + i);
        }

        Map<String, Long> calls = commandCalls();
        assertThat(calls.get("evalsha")).isEqualTo(40);
        // everything else counted was run inside the script, is this test's own INFO/CONFIG, or the backend's
        // health probe (a PING a second, whatever the traffic: on a slow machine the loop spans a probe)
        assertThat(calls.keySet()).allMatch(command -> List.of("evalsha", "get", "set", "hmget", "hset", "pexpire",
                "time", "config|resetstat", "info", "ping").contains(command));
    }

    @Test
    void aKeyOverItsLimitCostsNoFurtherRoundTripsForASecond() {
        ManualClock clock = new ManualClock();
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("day", 2, Duration.ofDays(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).clock(clock).build();
        toClose.add(limiter);
        limiter.tryAcquire("flood");
        limiter.tryAcquire("flood");
        Decision first = limiter.tryAcquire("flood");
        commands.configResetstat();

        List<Decision> flood = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            flood.add(limiter.tryAcquire("flood"));
        }

        clock.advance(Duration.ofMillis(999));
        Decision stillRemembered = limiter.tryAcquire("flood");
        Map<String, Long> withinTheSecond = commandCalls();
        clock.advance(Duration.ofMillis(1));
        Decision askedAgain = limiter.tryAcquire("flood");

        assertThat(first.allowed()).isFalse();
        assertThat(flood).noneMatch(Decision::allowed);
        assertThat(stillRemembered.allowed()).isFalse();
        assertThat(stillRemembered.retryAfter()).isEqualTo(first.retryAfter().minusMillis(999));
        assertThat(withinTheSecond.get("evalsha")).isNull();
        assertThat(askedAgain.allowed()).isFalse();
        assertThat(commandCalls().get("evalsha")).isEqualTo(1);
    }

    @Test
    void everyKeyCarriesATtl() {
        RedisRateLimiter limiter = limiter(backend(redis.uri()), RateLimitPolicy.of(
                Limit.fixedWindow("fixed", 10, Duration.ofMinutes(1)),
                Limit.slidingWindow("sliding", 10, Duration.ofMinutes(1)),
                Limit.tokenBucket("bucket", 10, 10, Duration.ofMinutes(1))));

        limiter.tryAcquire("ttl");

        List<String> keys = commands.keys(prefix + "*");
        assertThat(keys).containsExactlyInAnyOrder(prefix + "{ttl}:it:fixed:fw", prefix + "{ttl}:it:sliding:sw", prefix + "{ttl}:it:bucket:tb");
        for (String key : keys) {
            assertThat(commands.pttl(key)).as(key).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(2).plusSeconds(1).toMillis() + 1);
        }
    }

    @Test
    void scriptFlushMidRunReloadsTheScriptAndLosesNoDecision() throws Exception {
        AtomicInteger failedCalls = new AtomicInteger();
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("day", 500, Duration.ofDays(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix)
                .listener(new RateLimitListener() {
                    @Override
                    public void onRedisCall(String name, long nanos, boolean success) {
                        if (!success) {
                            failedCalls.incrementAndGet();
                        }
                    }
                }).build();
        toClose.add(limiter);
        limiter.tryAcquire("warm-up");

        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(2);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    if (limiter.tryAcquire("flushed").allowed()) {
                        admitted.incrementAndGet();
                    }
                    if (i == 100) {
                        halfway.countDown();
                    }
                }
                return null;
            }));
        }
        halfway.await();
        commands.scriptFlush();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(admitted.get()).isEqualTo(500);
        assertThat(failedCalls.get()).isZero();
        assertThat(limiter.fallbackActive()).isFalse();
    }

    @Test
    void redisKilledUnderLoadFallsBackWithoutAnExceptionAndReturnsWhenRestarted() throws Exception {
        List<Boolean> transitions = new CopyOnWriteArrayList<>();
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("second", 1000, Duration.ofSeconds(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).instances(2).circuitBreaker(fastBreaker())
                .listener(new RateLimitListener() {
                    @Override
                    public void onFallback(String name, boolean active, FallbackMode mode) {
                        transitions.add(active);
                    }
                }).build();
        toClose.add(limiter);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong decisions = new AtomicLong();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                while (running.get()) {
                    try {
                        limiter.tryAcquire("load-" + thread);
                        decisions.incrementAndGet();
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }
            });
        }
        try {
            await().until(() -> decisions.get() > 200);
            redis.kill();
            await().atMost(Duration.ofSeconds(5)).until(limiter::fallbackActive);
            assertThat(limiter.asHealthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
            long during = decisions.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> decisions.get() > during + 200);

            redis.restart();
            await().atMost(Duration.ofSeconds(10)).until(() -> !limiter.fallbackActive());
        } finally {
            running.set(false);
            pool.shutdown();
        }

        assertThat(errors).isEmpty();
        assertThat(transitions).containsExactly(true, false);
        assertThat(limiter.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);
        assertThat(limiter.fallbackLimiter().policy().limits().get(0).permits()).isEqualTo(500);
    }

    @Test
    void redisSlowerThanTheTimeoutFallsBack() throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1))))
                    .backend(backend("redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(50))).keyPrefix(prefix).circuitBreaker(fastBreaker())
                    .listener(new RateLimitMetrics(registry)).build();
            toClose.add(limiter);
            assertThat(limiter.tryAcquire("slow").allowed()).isTrue();

            proxy.setLatency(Duration.ofMillis(120));
            List<Decision> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                slow.add(limiter.tryAcquire("slow"));
            }

            assertThat(limiter.fallbackActive()).isTrue();
            assertThat(slow).allMatch(Decision::allowed); // the fallback's own count: a fresh share of 5
            assertThat(registry.get("resilience.ratelimit.fallback.active").gauge().value()).isEqualTo(1);
            assertThat(registry.get("resilience.ratelimit.redis.latency").tag("outcome", "failure").timer().count()).isPositive();
            assertThat(registry.get("resilience.ratelimit.decisions").tag("result", "allowed").counter().count()).isEqualTo(6);
            proxy.heal();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                limiter.tryAcquire("other");
                return !limiter.fallbackActive();
            });
        }
    }

    @Test
    void startsWithoutRedisAndMovesToItOnceItIsUp() {
        redis.kill();
        RedisBackend backend = RedisBackend.builder().uri(redis.uri()).connectTimeout(Duration.ofMillis(200)).build();
        toClose.add(backend);
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("day", 100, Duration.ofDays(1))))
                .backend(backend).keyPrefix(prefix).circuitBreaker(fastBreaker()).build();
        toClose.add(limiter);

        List<Decision> withoutRedis = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            withoutRedis.add(limiter.tryAcquire("early"));
        }
        assertThat(withoutRedis).allMatch(Decision::allowed);
        assertThat(limiter.fallbackActive()).isTrue();

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            limiter.tryAcquire("early");
            return !limiter.fallbackActive();
        });
        assertThat(commands.keys(prefix + "{early}:*")).isNotEmpty();
    }

    @Test
    void failClosedRejectsWhileRedisIsDown() {
        RedisBackend backend = backend(redis.uri());
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1))))
                .backend(backend).keyPrefix(prefix).fallbackMode(FallbackMode.FAIL_CLOSED).build();
        toClose.add(limiter);
        redis.kill();

        Decision decision = limiter.tryAcquire("closed");

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.retryAfter()).isPositive();
    }

    @Test
    void failClosedAsksToRetryWhenTheBreakerWillLetRedisBeTriedAgain() {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("it.redis").openDuration(Duration.ofSeconds(30)).clock(clock).build();
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).fallbackMode(FallbackMode.FAIL_CLOSED)
                .circuitBreaker(breaker).clock(clock).build();
        toClose.add(limiter);
        breaker.transitionTo(CircuitBreaker.State.OPEN); // as after Redis failed: open for 30 s

        Decision opened = limiter.tryAcquire("closed");
        clock.advance(Duration.ofSeconds(12));
        Decision later = limiter.tryAcquire("closed");

        assertThat(opened.allowed()).isFalse();
        assertThat(opened.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(later.retryAfter()).isEqualTo(Duration.ofSeconds(18));
        assertThat(RateLimitHeaders.of(later, false)).containsEntry("Retry-After", "18");
    }

    @Test
    void failClosedAsksForAtLeastASecondWhenTheBreakerHasNoOpenTimeLeft() {
        CircuitBreaker breaker = CircuitBreaker.builder("it.redis").build();
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).fallbackMode(FallbackMode.FAIL_CLOSED).circuitBreaker(breaker).build();
        toClose.add(limiter);
        breaker.transitionTo(CircuitBreaker.State.FORCED_OPEN); // open until someone closes it: no time known

        Decision decision = limiter.tryAcquire("closed");

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void clientTimeDecidesLikeServerTime() {
        RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.tokenBucket("bucket", 3, 1, Duration.ofMinutes(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).clientTime(true).build();
        toClose.add(limiter);

        assertThat(InMemoryRateLimiterTest.acquireAll(limiter, "client-time", 5)).isEqualTo(3);
        assertThat(limiter.tryAcquire("client-time", 0).retryAfter()).isGreaterThan(Duration.ofSeconds(50));
    }

    @Test
    void resetDeletesTheKeysState() {
        RedisRateLimiter limiter = limiter(backend(redis.uri()), RateLimitPolicy.of(Limit.fixedWindow("day", 1, Duration.ofDays(1))));
        limiter.tryAcquire("reset");
        assertThat(limiter.tryAcquire("reset").allowed()).isFalse();

        limiter.reset("reset");

        assertThat(limiter.tryAcquire("reset").allowed()).isTrue();
    }

    @Test
    void decisionCarriesTheRedisComputedQuotaAndTimes() {
        RedisRateLimiter limiter = limiter(backend(redis.uri()), RateLimitPolicy.of(Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15))));

        Decision decision = limiter.tryAcquire("numbers", 3);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.limitName()).isEqualTo("ip15m");
        assertThat(decision.limit()).isEqualTo(100);
        assertThat(decision.remaining()).isEqualTo(97);
        assertThat(decision.resetAfter()).isGreaterThan(Duration.ofMinutes(15)).isLessThanOrEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void limitersWithTheSameLimitNameCountSeparately() {
        RedisBackend backend = backend(redis.uri());
        RedisRateLimiter api = named("api", Limit.fixedWindow("perMinute", 3, Duration.ofMinutes(1)), backend);
        RedisRateLimiter uploads = named("uploads", Limit.fixedWindow("perMinute", 3, Duration.ofMinutes(1)), backend);

        int byApi = InMemoryRateLimiterTest.acquireAll(api, "client", 5);
        int byUploads = InMemoryRateLimiterTest.acquireAll(uploads, "client", 5);

        assertThat(byApi).isEqualTo(3);
        assertThat(byUploads).isEqualTo(3);
    }

    @Test
    void limitersWithDifferentAlgorithmsUnderOneLimitNameStayOnRedis() {
        RedisBackend backend = backend(redis.uri());
        RedisRateLimiter api = named("api", Limit.slidingWindow("perMinute", 3, Duration.ofMinutes(1)), backend);
        RedisRateLimiter uploads = named("uploads", Limit.tokenBucket("perMinute", 3, 3, Duration.ofMinutes(1)), backend);

        int byApi = InMemoryRateLimiterTest.acquireAll(api, "client", 5);
        int byUploads = InMemoryRateLimiterTest.acquireAll(uploads, "client", 5);

        assertThat(byApi).isEqualTo(3);
        assertThat(byUploads).isEqualTo(3);
        assertThat(api.fallbackActive()).isFalse();
        assertThat(uploads.fallbackActive()).isFalse();
    }

    @Test
    void aRedisDataErrorIsLoggedAsABugAndDoesNotPushTheLimiterIntoFallback() throws Exception {
        RedisRateLimiter limiter = RedisRateLimiter.builder("api", RateLimitPolicy.of(Limit.slidingWindow("perMinute", 3, Duration.ofMinutes(1))))
                .backend(backend(redis.uri())).keyPrefix(prefix).circuitBreaker(fastBreaker()).build();
        toClose.add(limiter);
        commands.set(prefix + "{victim}:api:perMinute:sw", "a string where the script expects a hash");

        String log = CapturedLog.during(() -> {
            for (int i = 0; i < 10; i++) {
                limiter.tryAcquire("victim");
            }
        });

        assertThat(limiter.fallbackActive()).isFalse();
        assertThat(limiter.tryAcquire("another-key").remaining()).isEqualTo(2); // decided by Redis
        assertThat(log.lines().filter(line -> line.contains("ERROR") && line.contains("data error, a bug and not an outage")
                && line.contains("WRONGTYPE"))).hasSize(1);
        assertThat(limiter.asHealthCheck().check().details()).containsEntry("redisDataErrors", 10L);
    }

    @Test
    void clientTimeWithSkewedClocksNeverLetsAnOlderWindowResetANewerOne() {
        for (Limit limit : List.of(Limit.fixedWindow("second", 10, Duration.ofSeconds(1)),
                Limit.slidingWindow("second", 10, Duration.ofSeconds(1)))) {
            // instance b's clock runs 500 ms ahead of a's: b is already in the next window, a is not
            ManualClock a = new ManualClock(Instant.parse("2026-01-01T00:00:00.600Z"));
            ManualClock b = new ManualClock(Instant.parse("2026-01-01T00:00:01.100Z"));
            RedisBackend backend = backend(redis.uri());
            RedisRateLimiter onA = RedisRateLimiter.builder("skew", RateLimitPolicy.of(limit)).backend(backend)
                    .keyPrefix(prefix).clientTime(true).clock(a).build();
            RedisRateLimiter onB = RedisRateLimiter.builder("skew", RateLimitPolicy.of(limit)).backend(backend)
                    .keyPrefix(prefix).clientTime(true).clock(b).build();
            toClose.add(onA);
            toClose.add(onB);

            int admitted = 0;
            for (int i = 0; i < 100; i++) { // 100 requests in 100 ms, alternating
                RedisRateLimiter instance = i % 2 == 0 ? onA : onB;
                if (instance.tryAcquire("skewed-" + limit.algorithm()).allowed()) {
                    admitted++;
                }
                a.advanceMillis(1);
                b.advanceMillis(1);
            }

            // at most the limit in a's window (before b wrote the next one) and the limit in b's window
            assertThat(admitted).as(limit.toString()).isLessThanOrEqualTo(20);
        }
    }

    @Test
    void aResetOnOneInstanceReachesAnotherThatRemembersARejectionWithinASecond() {
        ManualClock clock = new ManualClock();
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("day", 1, Duration.ofDays(1)));
        RedisRateLimiter first = RedisRateLimiter.builder("it", policy).backend(backend(redis.uri())).keyPrefix(prefix).clock(clock).build();
        RedisRateLimiter second = RedisRateLimiter.builder("it", policy).backend(backend(redis.uri())).keyPrefix(prefix).clock(clock).build();
        toClose.add(first);
        toClose.add(second);
        second.tryAcquire("user");
        assertThat(second.tryAcquire("user").allowed()).isFalse(); // remembered locally from now on

        first.reset("user");
        clock.advance(Duration.ofSeconds(1));

        assertThat(second.tryAcquire("user").allowed()).isTrue();
    }

    @Test
    void aRequestThatTimedOutInTheClientButRanInRedisIsNotCountedAgainInTheFallback() throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", redis.port())) {
            CircuitBreaker staysClosed = CircuitBreaker.builder("it.redis").countBasedWindow(100).minimumNumberOfCalls(100).build();
            RedisRateLimiter limiter = RedisRateLimiter.builder("it", RateLimitPolicy.of(Limit.fixedWindow("minute", 5, Duration.ofMinutes(1))))
                    .backend(backend("redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(50))).keyPrefix(prefix)
                    .circuitBreaker(staysClosed).build();
            toClose.add(limiter);
            limiter.tryAcquire("warm-up"); // loads the script before the stall
            proxy.setLatency(Duration.ofMillis(150));

            List<Decision> stalled = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                stalled.add(limiter.tryAcquire("stalled"));
            }

            assertThat(stalled).allMatch(Decision::allowed); // decided by the fallback, which had room
            assertThat(limiter.fallbackLimiter().tryAcquire("stalled", 0).remaining()).isEqualTo(5); // not counted there
            String key = prefix + "{stalled}:it:minute:fw";
            await().atMost(Duration.ofSeconds(5)).until(() -> "3".equals(commands.hget(key, "c"))); // but in Redis
        }
    }

    @Test
    void anOutageAndAnEmptyRedisAdmitAtMostTheDocumentedSwitchOverBound() {
        // limit L = 100 a day, N = 2 instances with instances(2) (share s = 1/2), 60 used before the outage
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("day", 100, Duration.ofDays(1)));
        List<RedisRateLimiter> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RedisRateLimiter limiter = RedisRateLimiter.builder("it", policy).backend(backend(redis.uri())).keyPrefix(prefix)
                    .instances(2).circuitBreaker(fastBreaker()).build();
            toClose.add(limiter);
            instances.add(limiter);
        }
        int admitted = InMemoryRateLimiterTest.acquireAll(instances.get(0), "switch", 60);

        redis.kill();
        for (RedisRateLimiter limiter : instances) {
            admitted += InMemoryRateLimiterTest.acquireAll(limiter, "switch", 100);
        }
        redis.restart(); // without the counts
        for (RedisRateLimiter limiter : instances) {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                limiter.tryAcquire("probe");
                return !limiter.fallbackActive();
            });
        }
        for (RedisRateLimiter limiter : instances) {
            admitted += InMemoryRateLimiterTest.acquireAll(limiter, "switch", 100);
        }

        // used + N * floor(s * L) + L (Redis came back empty once)
        assertThat(admitted).isEqualTo(60 + 2 * 50 + 100);
    }

    @Test
    void aPlanReplacedByARedisLimiterWithTheSameNamesKeepsItsCountsUnderTheNewLimits() {
        RedisBackend backend = backend(redis.uri());
        PerKeyPolicyRateLimiter api = PerKeyPolicyRateLimiter.builder("api", key -> "pro")
                .plan("pro", named("pro", Limit.fixedWindow("minute", 3, Duration.ofMinutes(1)), backend)).build();
        assertThat(InMemoryRateLimiterTest.acquireAll(api, "customer", 3)).isEqualTo(3);

        api.replace("pro", named("pro", Limit.fixedWindow("minute", 5, Duration.ofMinutes(1)), backend));

        assertThat(InMemoryRateLimiterTest.acquireAll(api, "customer", 5)).isEqualTo(2); // 3 already counted of the new 5
    }

    /** A limiter named {@code name} with one limit, this test's prefix and a breaker that opens after 3 failures. */
    private RedisRateLimiter named(String name, Limit limit, RedisBackend backend) {
        RedisRateLimiter limiter = RedisRateLimiter.builder(name, RateLimitPolicy.of(limit)).backend(backend).keyPrefix(prefix)
                .circuitBreaker(fastBreaker()).build();
        toClose.add(limiter);
        return limiter;
    }

    /** Opens after 3 failed calls, probes every 50 ms. */
    private static CircuitBreaker fastBreaker() {
        return CircuitBreaker.builder("it.redis").countBasedWindow(3).minimumNumberOfCalls(3)
                .openDuration(Duration.ofMillis(50)).permittedCallsInHalfOpen(1).build();
    }

    private static int hammer(List<RedisRateLimiter> instances, String key, int threads, int attemptsEach) throws Exception {
        int admitted = Concurrently.admitted(instances, key, threads, attemptsEach);
        for (RedisRateLimiter limiter : instances) {
            assertThat(limiter.fallbackActive()).isFalse();
        }
        return admitted;
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
