package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Keys and tags an outside caller may pass: odd characters, very long, null or empty. */
class CacheKeysTest {

    private static final List<String> ODD_KEYS = List.of("a\nb", "line\r\nfeed", "\n", "{braces}", "a}b{c", "{", "with space",
            "ключ", "k".repeat(10_000), "tab\there", "%zz", "a:v1:g0:{b}");

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryStore redis = new InMemoryStore(clock);
    private final AtomicInteger loads = new AtomicInteger();
    private final CacheLoader<String> loader = key -> "v" + loads.incrementAndGet();

    private RedisCache<String> instance(String name) {
        return RedisCache.builder(name, CacheCodec.strings()).store(redis.instance()).clock(clock).sleeper(scheduler)
                .scheduler(scheduler).executor(Runnable::run).random(() -> 0.5).ttlJitter(0).earlyRefreshBeta(0)
                .localTier(100, Duration.ofMinutes(5)).build();
    }

    @Test
    void oddKeysAreCachedSharedAndInvalidatedOnEveryInstance() {
        try (RedisCache<String> a = instance("odd"); RedisCache<String> b = instance("odd")) {
            for (String key : ODD_KEYS) {
                String loaded = a.get(key, loader);
                assertThat(b.get(key, loader)).as("shared through Redis: %s", key).isEqualTo(loaded);

                a.invalidate(key);

                // a key holding a line feed stayed in b's local tier until its TTL
                assertThat(b.get(key, loader)).as("dropped from b's local tier: %s", key).isNotEqualTo(loaded);
            }
            assertThat(loads).hasValue(2 * ODD_KEYS.size());
        }
    }

    @Test
    void oddKeysUnderOneTagAreAllInvalidatedOnEveryInstance() {
        try (RedisCache<String> a = instance("oddtag"); RedisCache<String> b = instance("oddtag")) {
            for (String key : ODD_KEYS) {
                a.get(key, loader, "{tag}\n");
                b.get(key, loader);
            }

            assertThat(a.invalidateAll("{tag}\n")).isEqualTo(ODD_KEYS.size());

            for (String key : ODD_KEYS) {
                assertThat(b.getIfPresent(key)).as("dropped from b: %s", key).isEmpty();
            }
        }
    }

    @Test
    void aNullOrEmptyTagIsRejectedNamingTheParameterInsteadOfStoringATagNoOneCanInvalidate() {
        try (RedisCache<String> cache = instance("badtags")) {
            assertThatThrownBy(() -> cache.get("k", loader, (String) null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tags");
            assertThatThrownBy(() -> cache.put("k", "v", "ok", "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tags");
            assertThatThrownBy(() -> cache.getAsync("k", key -> null, "")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tags");
            assertThatThrownBy(() -> cache.get("k", loader, (String[]) null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("tags");
            assertThatThrownBy(() -> cache.get("k", null)).isInstanceOf(NullPointerException.class).hasMessageContaining("loader");
            assertThat(loads).hasValue(0);
            assertThat(redis.keyCount()).isZero();
        }
    }
}
