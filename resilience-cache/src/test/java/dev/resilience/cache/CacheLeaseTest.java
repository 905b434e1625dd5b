package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.cache.internal.RemoteStore;
import dev.resilience.core.Sleeper;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The cross-instance lease when the instance holding it does not store a value (its loader failed, or its
 * codec could not encode the value): the others must not keep waiting for a value that will not come.
 */
class CacheLeaseTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryStore redis = new InMemoryStore(clock);
    private final AtomicInteger loads = new AtomicInteger();
    private final CacheLoader<String> loader = key -> "v" + loads.incrementAndGet();

    private <V> RedisCache.Builder<V> cache(String name, CacheCodec<V> codec, Sleeper sleeper) {
        return RedisCache.builder(name, codec).store(redis.instance()).clock(clock).sleeper(sleeper)
                .scheduler(scheduler).executor(Runnable::run).random(() -> 0.5).ttlJitter(0).earlyRefreshBeta(0);
    }

    @Test
    void aValueTheCodecCannotEncodeReleasesTheLeaseSoAnotherInstanceDoesNotWaitTheLeaseTime() {
        CacheCodec<String> unencodable = new CacheCodec<>() {
            @Override
            public byte[] encode(String value) {
                throw new IllegalStateException("cannot encode");
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        try (RedisCache<String> a = cache("enc", unencodable, scheduler).build();
             RedisCache<String> b = cache("enc", CacheCodec.strings(), scheduler).build()) {
            assertThat(a.get("k", loader)).isEqualTo("v1"); // the caller still gets its value

            long start = clock.nanoTime();
            assertThat(b.get("k", loader)).isEqualTo("v2");
            assertThat(Duration.ofNanos(clock.nanoTime() - start)).isLessThan(Duration.ofMillis(100)); // was the 5 s lease
        }
    }

    @Test
    void whenTheInstanceHoldingTheLeaseFailsTheWaitingInstanceLoadsAtOnceNotAfterTheLeaseTime() throws Exception {
        RemoteStore other = redis.instance(); // the instance whose loader is running, then fails
        String leaseKey = "cache:fail:v1:g0:{k}:lease";
        assertThat(other.tryLease(leaseKey, "other", 5_000)).isTrue();
        AtomicInteger polls = new AtomicInteger();
        Sleeper sleeper = duration -> {
            if (polls.incrementAndGet() == 3) {
                try {
                    other.releaseLease(leaseKey, "other"); // its loader threw: the lease is released, no value stored
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            scheduler.sleep(duration);
        };
        try (RedisCache<String> b = cache("fail", CacheCodec.strings(), sleeper).build()) {
            long start = clock.nanoTime();
            assertThat(b.get("k", loader)).isEqualTo("v1");
            assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(Duration.ofMillis(30)); // 3 polls, not 5 s
            assertThat(loads).hasValue(1);
            assertThat(other.tryLease(leaseKey, "other", 5_000)).isTrue(); // b released the lease it took
        }
    }

    @Test
    void aLoadSlowerThanTheLeaseElsewhereHoldsACallerAtMostTheLeaseTimeThenItLoads() throws Exception {
        RemoteStore other = redis.instance(); // its load never finishes; its lease runs out after 2 s
        assertThat(other.tryLease("cache:slow:v1:g0:{k}:lease", "other", 2_000)).isTrue();
        try (RedisCache<String> b = cache("slow", CacheCodec.strings(), scheduler).lease(Duration.ofSeconds(2)).build()) {
            long start = clock.nanoTime();
            assertThat(b.get("k", loader)).isEqualTo("v1");
            assertThat(Duration.ofNanos(clock.nanoTime() - start)).isBetween(Duration.ofMillis(1_990), Duration.ofSeconds(2));
            assertThat(loads).hasValue(1);
        }
    }

    @Test
    void aLoadThatOutlivedItsLeaseDoesNotReleaseTheLeaseAnotherInstanceTookSinceSoOnlyASecondInstanceGetsIn() throws Exception {
        RemoteStore other = redis.instance();
        String leaseKey = "cache:outlived:v1:g0:{k}:lease";
        CacheLoader<String> slow = key -> {
            clock.advance(Duration.ofSeconds(3)); // longer than the 2 s lease
            assertThat(other.tryLease(leaseKey, "second", 2_000)).isTrue(); // a second instance loads now
            return "v" + loads.incrementAndGet();
        };
        try (RedisCache<String> a = cache("outlived", CacheCodec.strings(), scheduler).lease(Duration.ofSeconds(2)).build()) {
            assertThat(a.get("k", slow)).isEqualTo("v1");

            assertThat(other.tryLease(leaseKey, "third", 2_000)).as("a third instance gets in too").isFalse();
        }
    }

    @Test
    void aWaitingInstanceThatGetsTheLeaseJustAfterTheValueWasStoredTakesTheValueAndDoesNotLoad() throws Exception {
        RemoteStore other = redis.instance();
        String entryKey = "cache:race:v1:g0:{k}";
        assertThat(other.tryLease(entryKey + ":lease", "other", 5_000)).isTrue();
        AtomicInteger leaseAttempts = new AtomicInteger();
        RemoteStore racing = new ForwardingStore(redis.instance()) {
            @Override
            public boolean tryLease(String key, String token, long ttlMillis) throws Exception {
                if (leaseAttempts.incrementAndGet() == 3) {
                    // between this instance's read and its lease attempt the holder stores its value and releases the lease
                    try (RedisCache<String> holder = cache("race", CacheCodec.strings(), scheduler).lease(Duration.ZERO).build()) {
                        holder.put("k", "theirs");
                    }
                    other.releaseLease(entryKey + ":lease", "other");
                }
                return super.tryLease(key, token, ttlMillis);
            }
        };
        try (RedisCache<String> b = RedisCache.builder("race", CacheCodec.strings()).store(racing).clock(clock).sleeper(scheduler)
                .scheduler(scheduler).executor(Runnable::run).random(() -> 0.5).ttlJitter(0).earlyRefreshBeta(0).build()) {
            assertThat(b.get("k", loader)).isEqualTo("theirs");
            assertThat(loads).hasValue(0);
            assertThat(other.tryLease(entryKey + ":lease", "other", 5_000)).isTrue(); // b gave the lease back
        }
    }

    @Test
    void anInstanceThatGetsTheLeaseJustAfterAnotherStoredTheValueTakesTheValueAndDoesNotLoad() throws Exception {
        AtomicInteger leaseAttempts = new AtomicInteger();
        RemoteStore racing = new ForwardingStore(redis.instance()) {
            @Override
            public boolean tryLease(String key, String token, long ttlMillis) throws Exception {
                if (leaseAttempts.incrementAndGet() == 1) {
                    // between this instance's read and its lease attempt another one loads, stores and releases
                    try (RedisCache<String> other = cache("late", CacheCodec.strings(), scheduler).build()) {
                        other.get("k", k -> "theirs");
                    }
                }
                return super.tryLease(key, token, ttlMillis);
            }
        };
        try (RedisCache<String> b = RedisCache.builder("late", CacheCodec.strings()).store(racing).clock(clock).sleeper(scheduler)
                .scheduler(scheduler).executor(Runnable::run).random(() -> 0.5).ttlJitter(0).earlyRefreshBeta(0).build()) {
            assertThat(b.get("k", loader)).isEqualTo("theirs");
            assertThat(loads).hasValue(0);
            assertThat(redis.instance().tryLease("cache:late:v1:g0:{k}:lease", "third", 5_000)).isTrue(); // b gave the lease back
        }
    }

    /** A store that forwards every call, for tests that step in between two of them. */
    private static class ForwardingStore implements RemoteStore {
        private final RemoteStore target;

        ForwardingStore(RemoteStore target) {
            this.target = target;
        }

        @Override
        public byte[] get(String key) throws Exception {
            return target.get(key);
        }

        @Override
        public void set(String key, byte[] value, long ttlMillis, String member, Collection<String> tagKeys, long tagTtlMillis)
                throws Exception {
            target.set(key, value, ttlMillis, member, tagKeys, tagTtlMillis);
        }

        @Override
        public boolean tryLease(String key, String token, long ttlMillis) throws Exception {
            return target.tryLease(key, token, ttlMillis);
        }

        @Override
        public void releaseLease(String key, String token) throws Exception {
            target.releaseLease(key, token);
        }

        @Override
        public void delete(Collection<String> keys) throws Exception {
            target.delete(keys);
        }

        @Override
        public List<String> members(String tagKey) throws Exception {
            return target.members(tagKey);
        }

        @Override
        public void removeMembers(String tagKey, Collection<String> members) throws Exception {
            target.removeMembers(tagKey, members);
        }

        @Override
        public long counter(String key) throws Exception {
            return target.counter(key);
        }

        @Override
        public long increment(String key) throws Exception {
            return target.increment(key);
        }

        @Override
        public void publish(String channel, String message) throws Exception {
            target.publish(channel, message);
        }

        @Override
        public CompletableFuture<?> subscribe(String channel, Consumer<String> listener) {
            return target.subscribe(channel, listener);
        }

        @Override
        public boolean isReachable() {
            return target.isReachable();
        }

        @Override
        public String description() {
            return target.description();
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
