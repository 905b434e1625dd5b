package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The concurrency claims of the README for bulkhead, timeout and retry, under several threads at once:
 * deterministic in what they check, bounded in time, no sleeps.
 */
class PolicyConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 20_000;

    /** Rounds of the timeout race; each hands over between two threads, slow on a loaded machine. */
    private static final int ROUNDS = 2_000;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private void hammer(IntConsumer body) throws Exception {
        Fixtures.hammer(executor, THREADS, CALLS_PER_THREAD, body);
    }

    @Test
    void bulkheadNeverRunsMoreThanItsLimitAndGivesBackEverySlotOnEveryPath() throws Exception {
        // Given a bulkhead of 2 slots, alone and around a timeout whose scheduler refuses every task
        Bulkhead bulkhead = Bulkhead.builder("b").maxConcurrentCalls(2).build();
        Policy aroundBrokenTimeout = Resilience.of(bulkhead,
                Timeout.builder("t").duration(Duration.ofSeconds(1)).scheduler(Fixtures.refusingScheduler()).build());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicLong ran = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong thrownByCallAsync = new AtomicLong();

        // When threads call it every way: blocking success and failure, async completed, failed, thrown
        // by the supplier, and failed inside the broken timeout
        hammer(i -> {
            Runnable work = () -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                ran.incrementAndGet();
                running.decrementAndGet();
            };
            try {
                switch (i % 6) {
                    case 0:
                        bulkhead.call(() -> {
                            work.run();
                            return "ok";
                        });
                        break;
                    case 1:
                        bulkhead.call(() -> {
                            work.run();
                            throw new IOException("down");
                        });
                        break;
                    case 2:
                        countRejection(bulkhead.callAsync(() -> {
                            work.run();
                            return CompletableFuture.completedFuture("ok");
                        }), rejected);
                        break;
                    case 3:
                        countRejection(bulkhead.callAsync(() -> {
                            work.run();
                            return CompletableFuture.failedFuture(new IOException("down"));
                        }), rejected);
                        break;
                    case 4:
                        countRejection(bulkhead.callAsync(() -> {
                            work.run();
                            throw new IllegalStateException("thrown, not returned");
                        }), rejected);
                        break;
                    default:
                        countRejection(aroundBrokenTimeout.callAsync(() -> CompletableFuture.completedFuture("never")), rejected);
                }
            } catch (BulkheadFullException e) {
                rejected.incrementAndGet();
            } catch (IOException expected) {
                // the blocking failure
            } catch (RuntimeException e) {
                thrownByCallAsync.incrementAndGet();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        // Then no more than 2 ran at once, callAsync never threw, and every slot is free again
        assertThat(mostAtOnce.get()).isBetween(1, 2);
        assertThat(thrownByCallAsync).hasValue(0);
        assertThat(bulkhead.availableCalls()).isEqualTo(2);
        assertThat(ran.get() + rejected.get()).isLessThanOrEqualTo((long) THREADS * CALLS_PER_THREAD);
        assertThat(ran.get()).isPositive();
    }

    private static void countRejection(java.util.concurrent.CompletionStage<?> stage, AtomicLong rejected) {
        Throwable failure = stage.toCompletableFuture().handle((v, t) -> t).join();
        if (failure instanceof BulkheadFullException) {
            rejected.incrementAndGet();
        }
    }

    @Test
    void timeoutInterruptNeverLeaksWhenItRacesTheEndOfTheWork() throws Exception {
        // Given a timeout whose deadline another thread fires just as the work returns
        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock).scheduler(scheduler).build();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger firingRound = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        Future<?> firing = executor.submit(() -> {
            int seen = 0;
            while (!stop.get()) {
                int round = inside.get();
                if (round != seen) {
                    seen = round;
                    firingRound.set(round);
                    scheduler.advance(Duration.ofSeconds(1)); // fires this round's interrupt, if still due
                } else {
                    Thread.onSpinWait();
                }
            }
            return null;
        });
        int timedOut = 0;
        int inTime = 0;
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                int thisRound = round;
                // When the work returns while the deadline fires
                try {
                    timeout.call(() -> {
                        inside.set(thisRound);
                        for (int spins = 1; firingRound.get() != thisRound; spins++) {
                            if (spins % 64 == 0) {
                                Thread.yield();
                            }
                            Thread.onSpinWait();
                        }
                        return "ok"; // while the other thread fires the deadline
                    });
                    inTime++;
                } catch (TimeoutExceededException e) {
                    timedOut++;
                }
                // Then the caller's thread is never left interrupted
                assertThat(Thread.currentThread().isInterrupted()).as("interrupted after round %d", round).isFalse();
            }
        } finally {
            stop.set(true);
            firing.get(60, TimeUnit.SECONDS);
            Thread.interrupted();
        }
        assertThat(inTime + timedOut).isEqualTo(ROUNDS);
        assertThat(timedOut).as("rounds the deadline won").isPositive();
        assertThat(inTime).as("rounds the work won").isPositive();
    }

    @Test
    void oneRetrySharedByManyThreadsKeepsEachCallsFailuresApart() throws Exception {
        // Given one retry shared by all threads, and work that fails twice per call with the call's own exceptions
        Retry retry = Retry.builder("shared").maxAttempts(3).backoff(Backoff.none()).build();
        AtomicLong wrong = new AtomicLong();

        // When every thread calls it
        hammer(i -> {
            String call = Thread.currentThread().getName() + "#" + i;
            AtomicInteger attempts = new AtomicInteger();
            try {
                retry.call(() -> {
                    throw new IOException(call + " attempt " + attempts.incrementAndGet());
                });
            } catch (IOException e) {
                // Then each caller gets its own last failure with its own two earlier ones suppressed
                boolean own = e.getMessage().equals(call + " attempt 3") && e.getSuppressed().length == 2
                        && e.getSuppressed()[0].getMessage().equals(call + " attempt 1")
                        && e.getSuppressed()[1].getMessage().equals(call + " attempt 2");
                if (!own) {
                    wrong.incrementAndGet();
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(wrong).hasValue(0);
    }
}
