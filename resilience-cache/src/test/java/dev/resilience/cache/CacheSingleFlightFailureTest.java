package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The README's "concurrent callers of the same key wait for that one call and get its value or its exception", for the exception. */
class CacheSingleFlightFailureTest {

    @Test
    void callersWaitingForAFailingLoadGetTheSameCheckedExceptionAndTheLoaderRanOnce() throws Exception {
        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        InMemoryStore redis = new InMemoryStore(clock);
        IOException failure = new IOException("database down");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CacheLoader<String> failing = key -> {
            loads.incrementAndGet();
            release.await();
            throw failure;
        };
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try (RedisCache<String> cache = RedisCache.builder("flightfail", CacheCodec.strings()).store(redis.instance()).clock(clock)
                .sleeper(scheduler).scheduler(scheduler).executor(Runnable::run).build()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                results.add(callers.submit(() -> cache.get("hot", failing)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (cache.stats().coalesced() < 9 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the other nine wait for the first one's load
            }
            release.countDown();
            for (Future<String> result : results) {
                Throwable thrown = null;
                try {
                    result.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    thrown = e.getCause();
                }
                assertThat(thrown).isSameAs(failure);
            }
            assertThat(loads).hasValue(1);
            assertThat(cache.stats().loadFailures()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }
}
