package dev.resilience.core;

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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Pieces several of core's tests set up alike. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * Runs {@code body(i)} for i in [0, {@code calls}) on each of {@code threads} threads of {@code executor},
     * all released together; fails if they take over a minute.
     */
    static void hammer(ExecutorService executor, int threads, int calls, IntConsumer body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(executor.submit(() -> {
                start.await();
                for (int i = 0; i < calls; i++) {
                    body.accept(i);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
    }

    /** A scheduler whose executor is shut down, so it refuses every task (RejectedExecutionException). */
    static Scheduler refusingScheduler() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        executor.shutdown();
        return Scheduler.of(executor);
    }

    /** Asynchronous work that counts its calls and fails with IOException("down") {@code after} on the scheduler. */
    static Supplier<CompletableFuture<String>> failingAfter(ManualScheduler scheduler, Duration after, AtomicInteger calls) {
        return () -> {
            calls.incrementAndGet();
            CompletableFuture<String> attempt = new CompletableFuture<>();
            scheduler.schedule(() -> attempt.completeExceptionally(new IOException("down")), after);
            return attempt;
        };
    }
}
