package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cache's timing and coherence rules on a manual clock, with an in-memory stand-in for Redis. */
class RedisCacheTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryStore redis = new InMemoryStore(clock);
    private final double[] random = {0.5};
    private final AtomicInteger loads = new AtomicInteger();
    private final CacheLoader<String> loader = key -> "v" + loads.incrementAndGet();

    private RedisCache.Builder<String> cache(String name) {
        return RedisCache.builder(name, CacheCodec.strings()).store(redis.instance()).clock(clock).sleeper(scheduler)
                .scheduler(scheduler).executor(Runnable::run).random(() -> random[0]).ttlJitter(0).earlyRefreshBeta(0);
    }

    @Test
    void aValueIsServedUntilItsTtlThenLoadedAgain() {
        try (RedisCache<String> cache = cache("ttl").ttl(Duration.ofSeconds(60)).build()) {
            assertThat(cache.get("k", loader)).isEqualTo("v1");
            clock.advance(Duration.ofMillis(59_999));
            assertThat(cache.get("k", loader)).isEqualTo("v1");
            clock.advance(Duration.ofMillis(1));
            assertThat(cache.get("k", loader)).isEqualTo("v2");
            assertThat(cache.stats().redisHits()).isEqualTo(1);
        }
    }

    @Test
    void jitterTakesAtMostItsShareOffTheTtl() {
        random[0] = 1.0; // the largest cut: 20 % of 100 s
        try (RedisCache<String> cache = cache("jitter").ttl(Duration.ofSeconds(100)).ttlJitter(0.2).build()) {
            cache.get("shortest", loader);
            random[0] = 0.0; // no cut
            cache.get("longest", loader);

            clock.advance(Duration.ofMillis(79_999));
            assertThat(cache.get("shortest", loader)).isEqualTo("v1");
            clock.advance(Duration.ofMillis(1));
            assertThat(cache.get("shortest", loader)).isEqualTo("v3");
            clock.advance(Duration.ofMillis(19_999));
            assertThat(cache.get("longest", loader)).isEqualTo("v2");
            clock.advance(Duration.ofMillis(1));
            assertThat(cache.get("longest", loader)).isEqualTo("v4");
        }
    }

    @Test
    void earlyRefreshReloadsInTheBackgroundShortlyBeforeExpiry() {
        CacheLoader<String> slow = key -> {
            clock.advance(Duration.ofSeconds(1)); // the load takes 1 s: XFetch refreshes within about that of expiry
            return "v" + loads.incrementAndGet();
        };
        random[0] = Math.exp(-1); // ln(random) = -1: refresh once now + 1 s * beta >= expiry
        try (RedisCache<String> cache = cache("xfetch").ttl(Duration.ofSeconds(60)).earlyRefreshBeta(1).build()) {
            assertThat(cache.get("k", slow)).isEqualTo("v1");

            clock.advance(Duration.ofMillis(58_500)); // 1.5 s before expiry: too early
            assertThat(cache.get("k", slow)).isEqualTo("v1");
            assertThat(loads).hasValue(1);

            clock.advance(Duration.ofMillis(1_000)); // 0.5 s before expiry: this caller refreshes, still served the old value
            assertThat(cache.get("k", slow)).isEqualTo("v1");
            assertThat(loads).hasValue(2);
            assertThat(cache.stats().earlyRefreshes()).isEqualTo(1);
            assertThat(cache.get("k", slow)).isEqualTo("v2");
        }
    }

    @Test
    void aLocalHitFarFromExpiryDrawsNoRandomNumber() {
        AtomicInteger draws = new AtomicInteger();
        CacheLoader<String> slow = key -> {
            clock.advance(Duration.ofMillis(100)); // XFetch can fire only within 745 x 100 ms of expiry
            return "v" + loads.incrementAndGet();
        };
        try (RedisCache<String> cache = cache("draws").ttl(Duration.ofMinutes(10)).earlyRefreshBeta(1)
                .random(() -> {
                    draws.incrementAndGet();
                    return 0.5;
                })
                .localTier(10, Duration.ofHours(1)).build()) {
            cache.get("k", slow);
            draws.set(0);

            for (int i = 0; i < 100; i++) {
                assertThat(cache.get("k", slow)).isEqualTo("v1");
            }
            assertThat(draws).hasValue(0);
            assertThat(cache.stats().localHits()).isEqualTo(100);

            clock.advance(Duration.ofMinutes(9)); // 60 s before expiry: now it may fire, so it draws
            assertThat(cache.get("k", slow)).isEqualTo("v1");
            assertThat(draws).hasValue(1);
            assertThat(loads).hasValue(1); // -ln(0.5) x 100 ms is far from 60 s: no refresh
        }
    }

    @Test
    void theLocalTiersUpkeepRunsOnTheCachesExecutorNotOnTheCallersThread() {
        List<Runnable> queued = new ArrayList<>();
        try (RedisCache<String> cache = cache("upkeep").executor(queued::add).localTier(10, Duration.ofHours(1)).build()) {
            for (int i = 0; i < 30; i++) {
                cache.put("k" + i, "v" + i);
            }
            assertThat(cache.stats().localEvictions()).isZero(); // the callers only queued the upkeep

            while (!queued.isEmpty()) {
                queued.remove(0).run();
            }

            assertThat(cache.stats().localEvictions()).isEqualTo(20);
            assertThat(cache.localSize()).isEqualTo(10);
        }
    }

    @Test
    void staleWhileRevalidateServesTheOldValueWhileOneCallerReloads() {
        try (RedisCache<String> cache = cache("swr").ttl(Duration.ofSeconds(10)).staleWhileRevalidate(Duration.ofSeconds(5)).build()) {
            cache.get("k", loader);
            clock.advance(Duration.ofSeconds(12));

            assertThat(cache.get("k", loader)).isEqualTo("v1"); // stale, refreshed in the background
            assertThat(cache.get("k", loader)).isEqualTo("v2");
            assertThat(cache.stats().staleServed()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(16)); // past TTL and window: the caller waits for the loader
            assertThat(cache.get("k", loader)).isEqualTo("v3");
        }
    }

    @Test
    void staleIfErrorServesTheOldValueWhenTheLoaderFailsThenLetsTheFailureThrough() {
        IOException failure = new IOException("database down");
        CacheLoader<String> failing = key -> {
            loads.incrementAndGet();
            throw failure;
        };
        try (RedisCache<String> cache = cache("sie").ttl(Duration.ofSeconds(10)).staleIfError(Duration.ofSeconds(30)).build()) {
            cache.get("k", loader);
            clock.advance(Duration.ofSeconds(20));

            assertThat(cache.get("k", failing)).isEqualTo("v1");
            assertThat(cache.stats().staleServed()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(21)); // 41 s: past TTL + staleIfError
            assertThatThrownBy(() -> cache.get("k", failing)).isSameAs(failure);
        }
    }

    @Test
    void aCallerThatMissedJustBeforeAnotherLoadEndedDoesNotCallTheLoaderAgain() throws Exception {
        for (boolean withLocalTier : new boolean[] {false, true}) {
            loads.set(0);
            RedisCache.Builder<String> builder = cache("late-" + withLocalTier);
            try (RedisCache<String> cache = withLocalTier ? builder.localTier(10, Duration.ofSeconds(30)).build() : builder.build()) {
                CountDownLatch lateMissed = new CountDownLatch(1);
                CountDownLatch firstLoadDone = new CountDownLatch(1);
                java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
                redis.afterGet(key -> {
                    if (Thread.currentThread().getName().equals("late") && once.compareAndSet(false, true)) {
                        lateMissed.countDown(); // the late caller found nothing in Redis...
                        try {
                            firstLoadDone.await(5, TimeUnit.SECONDS); // ...and goes on only after the first load ended
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                });
                CompletableFuture<String> late = new CompletableFuture<>();
                Thread thread = new Thread(() -> late.complete(cache.get("k", loader)), "late");
                thread.start();
                assertThat(lateMissed.await(5, TimeUnit.SECONDS)).isTrue();

                assertThat(cache.get("k", loader)).isEqualTo("v1");
                firstLoadDone.countDown();

                assertThat(late.get(5, TimeUnit.SECONDS)).isEqualTo("v1");
                assertThat(loads).as("local tier: " + withLocalTier).hasValue(1);
            } finally {
                redis.afterGet(key -> { });
            }
        }
    }

    @Test
    void lookupTellsACachedAbsenceFromAMissAndCountsTheRead() {
        try (RedisCache<String> cache = cache("lookup").absentTtl(Duration.ofSeconds(5)).localTier(10, Duration.ofSeconds(30)).build()) {
            assertThat(cache.lookup("missing")).isEmpty();
            cache.put("none", null);
            cache.put("some", "v");

            assertThat(cache.lookup("none")).contains(new RedisCache.Cached<>(null));
            assertThat(cache.lookup("some")).contains(new RedisCache.Cached<>("v"));
            assertThat(cache.getIfPresent("none")).isEmpty();
            assertThat(cache.stats().localHits()).isEqualTo(2);
            assertThat(cache.stats().redisMisses()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(5));
            assertThat(cache.lookup("none")).isEmpty();
            assertThat(cache.lookup("some")).contains(new RedisCache.Cached<>("v"));
        }
    }

    @Test
    void anAbsentValueIsRememberedForItsOwnTtl() {
        CacheLoader<String> nothing = key -> {
            loads.incrementAndGet();
            return null;
        };
        try (RedisCache<String> cache = cache("absent").ttl(Duration.ofMinutes(10)).absentTtl(Duration.ofSeconds(5)).build();
             RedisCache<String> uncached = cache("absent-off").absentTtl(Duration.ZERO).build()) {
            assertThat(cache.get("k", nothing)).isNull();
            assertThat(cache.get("k", nothing)).isNull();
            assertThat(loads).hasValue(1);
            clock.advance(Duration.ofSeconds(5));
            assertThat(cache.get("k", nothing)).isNull();
            assertThat(loads).hasValue(2);

            uncached.get("k", nothing);
            uncached.get("k", nothing);
            assertThat(loads).hasValue(4);
        }
    }

    @Test
    void concurrentMissesForOneKeyCallTheLoaderOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CacheLoader<String> blocking = key -> {
            release.await();
            return "v" + loads.incrementAndGet();
        };
        ExecutorService callers = Executors.newFixedThreadPool(20);
        try (RedisCache<String> cache = cache("flight").build()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(callers.submit(() -> cache.get("hot", blocking)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cache.stats().coalesced() < 19 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // every other caller waits for the first one's load
            }
            release.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("v1");
            }
            assertThat(loads).hasValue(1);
            assertThat(cache.stats().coalesced()).isEqualTo(19);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void whileRedisIsDownCallersGetLoadedValuesWritesAreCountedAndTheCacheComesBackByItself() {
        String log = CapturedLog.during(() -> {
            try (RedisCache<String> cache = cache("outage").build()) {
                redis.down(true);
                for (int i = 0; i < 10; i++) {
                    assertThat(cache.get("k" + i, loader)).isEqualTo("v" + (i + 1));
                }
                cache.put("p", "x");
                cache.invalidate("p");
                assertThat(cache.redisOutage()).isTrue();
                assertThat(cache.stats().writesSkipped()).isGreaterThanOrEqualTo(2);
                assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);

                redis.down(false);
                scheduler.advance(Duration.ofSeconds(2)); // the breaker's open time passes
                cache.get("after", loader);
                assertThat(cache.redisOutage()).isFalse();
                assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);
                assertThat(cache.get("after", loader)).isEqualTo("v11");
                assertThat(redis.keyCount()).isGreaterThan(0);
            }
        });

        assertThat(log.lines().filter(line -> line.contains("Cache outage cannot use Redis at memory"))).hasSize(1);
        assertThat(log.lines().filter(line -> line.contains("Cache outage is back on Redis at memory"))).hasSize(1);
    }

    @Test
    void theLocalTierServesWhileRedisIsDownUntilItsOwnTtl() {
        try (RedisCache<String> cache = cache("local").localTier(100, Duration.ofSeconds(5)).build()) {
            cache.get("k", loader);
            redis.down(true);

            assertThat(cache.get("k", loader)).isEqualTo("v1");
            assertThat(loads).hasValue(1);
            assertThat(cache.stats().localHits()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(5));
            assertThat(cache.get("k", loader)).isEqualTo("v2");
        }
    }

    @Test
    void anInvalidationOnOneInstanceDropsTheOthersLocalCopy() {
        try (RedisCache<String> a = cache("orders").localTier(100, Duration.ofSeconds(30)).build();
             RedisCache<String> b = cache("orders").localTier(100, Duration.ofSeconds(30)).build()) {
            a.get("k", loader);
            assertThat(b.get("k", loader)).isEqualTo("v1");

            a.invalidate("k");

            assertThat(b.get("k", loader)).isEqualTo("v2");
        }
    }

    @Test
    void aLostInvalidationMessageIsServedAtMostForTheLocalTtl() {
        try (RedisCache<String> a = cache("bound").localTier(100, Duration.ofSeconds(2)).build();
             RedisCache<String> b = cache("bound").localTier(100, Duration.ofSeconds(2)).build()) {
            a.get("k", loader);
            b.get("k", loader);
            redis.dropMessages(true);

            a.put("k", "new");

            assertThat(b.get("k", loader)).isEqualTo("v1"); // b did not hear of it
            clock.advance(Duration.ofMillis(1_999));
            assertThat(b.get("k", loader)).isEqualTo("v1");
            clock.advance(Duration.ofMillis(1));
            assertThat(b.get("k", loader)).isEqualTo("new");
        }
    }

    @Test
    void invalidatingATagRemovesEveryKeyStoredWithItAndNoOther() {
        try (RedisCache<String> a = cache("tags").localTier(100, Duration.ofSeconds(30)).build();
             RedisCache<String> b = cache("tags").localTier(100, Duration.ofSeconds(30)).build()) {
            a.get("order:1", loader, "customer:7");
            a.put("order:2", "two", "customer:7");
            a.get("order:3", loader, "customer:8");
            b.get("order:1", loader);

            assertThat(b.invalidateAll("customer:7")).isEqualTo(2);

            assertThat(a.getIfPresent("order:1")).isEmpty();
            assertThat(a.getIfPresent("order:2")).isEmpty();
            assertThat(a.getIfPresent("order:3")).contains("v2");
            assertThat(b.get("order:1", loader)).isEqualTo("v3");
        }
    }

    @Test
    void clearEmptiesEveryInstanceEvenOneThatMissedTheMessage() {
        try (RedisCache<String> a = cache("clear").localTier(100, Duration.ofSeconds(30)).build();
             RedisCache<String> b = cache("clear").localTier(100, Duration.ofSeconds(30)).build()) {
            a.get("k", loader);
            b.get("k", loader);
            redis.dropMessages(true);

            a.clear();

            assertThat(a.get("k", loader)).isEqualTo("v2");
            scheduler.advance(Duration.ofSeconds(1)); // b's coherence task reads the new generation
            assertThat(b.get("k", loader)).isEqualTo("v2");
        }
    }

    @Test
    void getAsyncCompletesWithTheLoadedValueOrTheLoadersFailure() {
        IllegalStateException failure = new IllegalStateException("no");
        try (RedisCache<String> cache = cache("async").localTier(10, Duration.ofSeconds(5)).build()) {
            assertThat(cache.getAsync("k", key -> CompletableFuture.completedFuture("async")).toCompletableFuture().join())
                    .isEqualTo("async");
            assertThat(cache.getAsync("k", key -> CompletableFuture.failedFuture(failure)).toCompletableFuture().join())
                    .isEqualTo("async");
            assertThatThrownBy(() -> cache.getAsync("other", key -> CompletableFuture.failedFuture(failure)).toCompletableFuture().get())
                    .hasCause(failure);
        }
    }

    @Test
    void aNewNamespaceVersionNeverReadsTheOldVersionsValues() {
        try (RedisCache<String> v1 = cache("ns").namespaceVersion(1).build();
             RedisCache<String> v2 = cache("ns").namespaceVersion(2).build()) {
            v1.put("k", "old shape");
            assertThat(v2.get("k", loader)).isEqualTo("v1");
            assertThat(v1.get("k", loader)).isEqualTo("old shape");
        }
    }

    @Test
    void badSettingsAreRejectedNamingTheParameter() {
        assertThatThrownBy(() -> RedisCache.builder(null, CacheCodec.strings()))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
        assertThatThrownBy(() -> RedisCache.builder("bad name", CacheCodec.strings()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name must be letters, digits, '.', '_' or '-', was 'bad name'");
        assertThatThrownBy(() -> cache("x").ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be between PT0.001S and PT8760H, was PT0S");
        assertThatThrownBy(() -> cache("x").ttl(null)).isInstanceOf(NullPointerException.class).hasMessage("ttl");
        assertThatThrownBy(() -> cache("x").ttlJitter(0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttlJitter must be between 0 and 0.5, was 0.9");
        assertThatThrownBy(() -> cache("x").earlyRefreshBeta(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("earlyRefreshBeta must be between 0 and 10, was NaN");
        assertThatThrownBy(() -> cache("x").namespaceVersion(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("namespaceVersion must be at least 0, was -1");
        assertThatThrownBy(() -> cache("x").lease(Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lease must be between PT0S and PT1M, was PT1H");
        assertThatThrownBy(() -> cache("x").localTier(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("localTier maxEntries must be at least 1, was 0");
        assertThatThrownBy(() -> cache("x").keyPrefix("a{")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyPrefix must not hold '{' or '}', was 'a{'");
        assertThatThrownBy(() -> cache("x").keyPrefix(null)).isInstanceOf(NullPointerException.class).hasMessage("keyPrefix");
        assertThatThrownBy(() -> RedisCache.builder("x", CacheCodec.strings()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("redisUri");
        try (RedisCache<String> cache = cache("keys").build()) {
            assertThatThrownBy(() -> cache.get("", loader)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
            assertThatThrownBy(() -> cache.invalidateAll(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag");
        }
    }

    @Test
    void aMissMakesFiveRedisCallsWithoutALocalTierAndFourWithOneAHitOne() {
        try (RedisCache<String> plain = cache("calls").build();
             RedisCache<String> tiered = cache("calls-local").localTier(10, Duration.ofMillis(1)).build();
             RedisCache<String> unleased = cache("calls-unleased").lease(Duration.ZERO).build()) {
            long before = plain.stats().redisCalls(); // the coherence check at start
            plain.get("k", loader);
            assertThat(plain.stats().redisCalls() - before).as("read, read again, lease, re-read, write").isEqualTo(5);
            before = plain.stats().redisCalls();
            plain.get("k", loader);
            assertThat(plain.stats().redisCalls() - before).as("a Redis hit: one read").isEqualTo(1);

            before = tiered.stats().redisCalls();
            tiered.get("k", loader);
            assertThat(tiered.stats().redisCalls() - before).as("read, lease, re-read, write").isEqualTo(4);

            before = unleased.stats().redisCalls();
            unleased.get("k", loader);
            assertThat(unleased.stats().redisCalls() - before).as("read, read again, write").isEqualTo(3);
        }
    }

    @Test
    void afterAnOutageTheLocalTierIsEmptiedAsMessagesSentMeanwhileWereNotHeard() {
        try (RedisCache<String> a = cache("heal").localTier(100, Duration.ofSeconds(30)).build();
             RedisCache<String> b = cache("heal").localTier(100, Duration.ofSeconds(30)).build()) {
            a.get("k", loader);
            assertThat(b.get("k", loader)).isEqualTo("v1"); // now in b's local tier
            redis.down(true);
            for (int i = 0; i < 5; i++) {
                b.get("other" + i, loader);
            }
            assertThat(b.redisOutage()).isTrue();
            redis.down(false); // b's breaker still keeps it off Redis for its open time
            redis.dropMessages(true); // b, cut off, does not hear a's put
            a.put("k", "new");
            redis.dropMessages(false);
            assertThat(b.get("k", loader)).isEqualTo("v1"); // the local tier serves during the outage

            scheduler.advance(Duration.ofSeconds(2)); // the open time passes; the coherence check takes b back to Redis
            assertThat(b.redisOutage()).isFalse();

            assertThat(b.get("k", loader)).isEqualTo("new"); // not the local v1, 28 s before the local TTL
            assertThat(b.localSize()).isEqualTo(1);
        }
    }

    @Test
    void duringAnOutageInvalidateAndClearStillClearThisInstancesLocalTier() {
        try (RedisCache<String> cache = cache("outage-local").localTier(100, Duration.ofSeconds(30)).build()) {
            cache.get("k1", loader);
            cache.get("k2", loader);
            redis.down(true);
            for (int i = 0; i < 5; i++) {
                cache.get("other" + i, loader);
            }
            assertThat(cache.redisOutage()).isTrue();
            assertThat(cache.get("k1", loader)).isEqualTo("v1"); // still served locally
            long skipped = cache.stats().writesSkipped();

            cache.invalidate("k1");
            assertThat(cache.get("k1", loader)).isEqualTo("v8"); // loaded again, not the local v1
            assertThat(cache.get("k2", loader)).isEqualTo("v2");

            cache.clear();
            assertThat(cache.localSize()).isZero();
            assertThat(cache.get("k2", loader)).isEqualTo("v9");
            assertThat(cache.stats().writesSkipped() - skipped).as("the invalidate, the clear and two loads' writes")
                    .isEqualTo(4);
        }
    }

    @Test
    void theHealthCheckIsDegradedWhileTheProbeFailsEvenBeforeTheBreakerOpens() throws Exception {
        try (RedisCache<String> cache = cache("probe").build()) {
            assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);

            redis.down(true); // no call went through the breaker yet: only the probe knows
            assertThat(cache.redisOutage()).isFalse();
            assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(cache.asHealthCheck().check().message()).contains("unreachable");

            redis.down(false);
            assertThat(cache.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);
        }
    }

    @Test
    void aGetAsyncLocalHitCompletesOnTheCallersThreadAMissOnTheExecutor() {
        List<Runnable> queued = new ArrayList<>();
        try (RedisCache<String> cache = cache("async-local").executor(queued::add).localTier(10, Duration.ofSeconds(5)).build()) {
            cache.get("k", loader);
            queued.clear(); // the local tier's upkeep

            Thread[] completedOn = new Thread[1];
            CompletableFuture<String> hit = cache.getAsync("k", key -> CompletableFuture.completedFuture("async"))
                    .toCompletableFuture();
            assertThat(hit).isCompletedWithValue("v1");
            hit.thenRun(() -> completedOn[0] = Thread.currentThread());
            assertThat(completedOn[0]).isSameAs(Thread.currentThread());
            assertThat(queued).isEmpty();

            CompletableFuture<String> miss = cache.getAsync("other", key -> CompletableFuture.completedFuture("async"))
                    .toCompletableFuture();
            assertThat(miss).isNotDone();
            while (!queued.isEmpty()) {
                queued.remove(0).run();
            }
            assertThat(miss).isCompletedWithValue("async");
        }
    }
}
