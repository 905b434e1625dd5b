package dev.resilience.ratelimit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** Many threads asking limiters for one key at once, released together by a latch. */
final class Concurrently {

    private Concurrently() {
    }

    /** How many of {@code threads x attemptsEach} requests were admitted; thread t uses limiters[t % size]. */
    static int admitted(List<? extends RateLimiter> limiters, String key, int threads, int attemptsEach) throws Exception {
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RateLimiter limiter = limiters.get(t % limiters.size());
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        if (limiter.tryAcquirePermission(key)) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return admitted.get();
    }
}
