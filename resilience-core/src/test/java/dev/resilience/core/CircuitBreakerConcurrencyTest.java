package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/** Several threads, hundreds of thousands of calls: counts stay exact and each transition happens once. */
class CircuitBreakerConcurrencyTest {

    private static final int THREADS = 4;
    private static final int CALLS_PER_THREAD = 100_000;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    /** Runs {@code body(i)} for i in [0, CALLS_PER_THREAD) on every thread, all released together. */
    private void hammer(IntConsumer body) throws Exception {
        Fixtures.hammer(executor, THREADS, CALLS_PER_THREAD, body);
    }

    @Test
    void countBasedWindowCountsStayExactUnderContention() throws Exception {
        // Given a window written by several threads at once with a mix of outcomes
        CountBasedWindow window = new CountBasedWindow(1000, 1000, 100f, 100f);
        int[] outcomes = {SlidingWindow.SUCCESS, SlidingWindow.FAILURE, SlidingWindow.SLOW_SUCCESS, SlidingWindow.SLOW_FAILURE};
        hammer(i -> window.record(outcomes[i % outcomes.length], 0));

        // Then it holds exactly its size in calls, with failures and slow calls within it
        long[] mixed = window.counts(0);
        assertThat(mixed[0]).isEqualTo(1000);
        assertThat(mixed[1]).isBetween(0L, 1000L);
        assertThat(mixed[2]).isBetween(0L, 1000L);

        // When every slot is then overwritten by failures from all threads
        hammer(i -> window.record(SlidingWindow.FAILURE, 0));

        // Then the packed counters did not drift: all 1000 are failures, none slow
        assertThat(window.counts(0)).containsExactly(1000, 1000, 0);

        // When successes overwrite them
        hammer(i -> window.record(SlidingWindow.SUCCESS, 0));
        assertThat(window.counts(0)).containsExactly(1000, 0, 0);
    }

    /**
     * Two threads record into windows of 100 calls (threshold 50 %, judged from 100 calls) in lockstep
     * rounds: in each round, going through the same {@value #RACING_WINDOWS} windows in the same order, one
     * thread records a success in each and the other a failure, concurrently. Each window holds 49 failures,
     * in pairs of (failure, success) ahead of its cursor, so a round's two calls on a window land on one
     * pair and leave 48 or 49 failures in either order; every 50th round one thread alone lays the windows
     * out afresh. No order of the calls reaches 50 %, so no call may trip a window. Before the count window
     * judged atomically, a failure that overtook a concurrent success between its slot and its count saw
     * 50 % and tripped.
     */
    @Test
    void countWindowNeverTripsOnARaceThatNoOrderOfTheCallsWouldTrip() throws Exception {
        CountBasedWindow[] windows = new CountBasedWindow[RACING_WINDOWS];
        layOut(windows);
        AtomicInteger trips = new AtomicInteger();
        AtomicLong successRounds = new AtomicLong();
        AtomicLong failureRounds = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        AtomicBoolean stop = new AtomicBoolean();

        Future<Integer> successes = executor.submit(() -> lockstep(until, stop, successRounds, failureRounds, round -> {
            if (round % 50 == 49) {
                layOut(windows);
                return;
            }
            for (CountBasedWindow window : windows) {
                if (window.record(SlidingWindow.SUCCESS, 0)) {
                    trips.incrementAndGet();
                }
            }
        }));
        Future<Integer> failures = executor.submit(() -> lockstep(Long.MAX_VALUE, stop, failureRounds, successRounds, round -> {
            if (round % 50 == 49) {
                return;
            }
            for (CountBasedWindow window : windows) {
                if (window.record(SlidingWindow.FAILURE, 0)) {
                    trips.incrementAndGet();
                }
            }
        }));
        int done = Math.min(successes.get(120, TimeUnit.SECONDS), failures.get(120, TimeUnit.SECONDS));

        assertThat(done).as("rounds (all %d unless the 50 s cap struck)", ROUNDS).isEqualTo(ROUNDS);
        assertThat(trips).as("trips in %d rounds of %d windows", done, RACING_WINDOWS).hasValue(0);
    }

    private static final int RACING_WINDOWS = 128;
    /** Rounds to run: a fixed count, so a loaded machine makes the test slower, never weaker. */
    private static final int ROUNDS = 2_000;

    /** Each window: 49 pairs of (failure, success), then (success, success); its cursor back at the first pair. */
    private static void layOut(CountBasedWindow[] windows) {
        for (int i = 0; i < windows.length; i++) {
            CountBasedWindow window = new CountBasedWindow(100, 100, 50f, 100f);
            for (int pair = 0; pair < 49; pair++) {
                window.record(SlidingWindow.FAILURE, 0);
                window.record(SlidingWindow.SUCCESS, 0);
            }
            window.record(SlidingWindow.SUCCESS, 0);
            window.record(SlidingWindow.SUCCESS, 0);
            windows[i] = window;
        }
    }

    /**
     * Runs {@code body(round)} for rounds 0, 1, ... each only once the other thread has finished the round
     * before, so the two threads' calls of one round overlap and those of different rounds never do. The
     * thread given a time stops both at a round that starts a ring of 50 (at most {@value #ROUNDS} rounds); the
     * other may then have made one call of that round alone: a failure on a (failure, success) pair, harmless.
     */
    private static int lockstep(long untilNanos, AtomicBoolean stop, AtomicLong mine, AtomicLong other, IntConsumer body) {
        int round = 0;
        for (; round < ROUNDS; round++) {
            int spins = 0;
            while (other.get() < round) {
                if (++spins % 64 == 0) {
                    Thread.yield(); // the machine may have fewer free cores than threads
                }
                Thread.onSpinWait();
            }
            if (round % 50 == 0 && System.nanoTime() - untilNanos > 0) {
                stop.set(true);
            }
            if (stop.get()) {
                break;
            }
            body.accept(round);
            mine.set(round + 1);
        }
        if (round < ROUNDS) {
            stop.set(true); // stopped early: release the other thread (when both ran every round it needs none)
        }
        int done = (int) mine.get();
        mine.set(Integer.MAX_VALUE);
        return done;
    }

    @Test
    void timeBasedWindowCountsEveryCallUnderContention() throws Exception {
        // Given a time-based window written by several threads within one second
        TimeBasedWindow window = new TimeBasedWindow(10, 1, 100f, 100f);
        int[] outcomes = {SlidingWindow.SUCCESS, SlidingWindow.FAILURE, SlidingWindow.SLOW_SUCCESS, SlidingWindow.SLOW_FAILURE};

        hammer(i -> window.record(outcomes[i % outcomes.length], 0));

        // Then not a call is lost: a quarter of each outcome
        long total = (long) THREADS * CALLS_PER_THREAD;
        assertThat(window.counts(0)).containsExactly(total, total / 2, total / 2);
    }

    @Test
    void breakerCountsEveryCallAndTransitionsExactlyOnce() throws Exception {
        // Given a breaker whose events are counted
        ManualClock clock = new ManualClock();
        Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        CircuitBreaker breaker = CircuitBreaker.builder("concurrent").clock(clock).countBasedWindow(100)
                .minimumNumberOfCalls(100).failureRateThreshold(50).openDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(20)
                .listener(e -> counts.computeIfAbsent(e.type() == CircuitBreakerEvent.Type.STATE_TRANSITION
                        ? e.fromState() + "->" + e.toState() : e.type().name(), k -> new AtomicLong()).incrementAndGet())
                .build();
        AtomicLong ran = new AtomicLong();

        // When threads make healthy calls (one failure in four), then only failing ones
        hammer(i -> call(breaker, ran, i % 4 == 0));
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        hammer(i -> call(breaker, ran, true));

        // Then the breaker opened exactly once, and every call is either recorded or rejected
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(counts.get("CLOSED->OPEN")).hasValue(1);
        long total = 2L * THREADS * CALLS_PER_THREAD;
        assertThat(count(counts, "SUCCESS") + count(counts, "FAILURE") + count(counts, "NOT_PERMITTED")).isEqualTo(total);
        assertThat(count(counts, "SUCCESS") + count(counts, "FAILURE")).isEqualTo(ran.get());

        // When the open duration passes and threads make successful calls
        clock.advance(Duration.ofSeconds(10));
        hammer(i -> call(breaker, ran, false));

        // Then it went half-open and closed exactly once each
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(counts.get("OPEN->HALF_OPEN")).hasValue(1);
        assertThat(counts.get("HALF_OPEN->CLOSED")).hasValue(1);
        assertThat(counts.get("CLOSED->OPEN")).hasValue(1);
    }

    @Test
    void lostProbesReopenTheBreakerExactlyOnceWhenManyThreadsAsk() throws Exception {
        // Given a half-open breaker whose 20 probes were permitted and never reported, past the maximum wait
        ManualClock clock = new ManualClock();
        AtomicLong reopened = new AtomicLong();
        CircuitBreaker breaker = CircuitBreaker.builder("concurrent").clock(clock).openDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(20).maxWaitInHalfOpen(Duration.ofSeconds(5))
                .listener(e -> {
                    if (e.type() == CircuitBreakerEvent.Type.STATE_TRANSITION && e.toState() == State.OPEN) {
                        reopened.incrementAndGet();
                    }
                })
                .build();
        breaker.transitionTo(State.HALF_OPEN);
        for (int i = 0; i < 20; i++) {
            breaker.tryAcquirePermission();
        }
        clock.advance(Duration.ofSeconds(5));
        AtomicLong permitted = new AtomicLong();

        // When threads ask for permission at once
        hammer(i -> {
            if (breaker.tryAcquirePermission()) {
                permitted.incrementAndGet();
            }
        });

        // Then the breaker reopened exactly once and let no call through
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(reopened).hasValue(1);
        assertThat(permitted).hasValue(0);
    }

    @Test
    void halfOpenPermitsExactlyItsProbesWhenManyThreadsAsk() throws Exception {
        // Given a breaker whose open duration has just passed, with 7 probes
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("concurrent").clock(clock).openDuration(Duration.ofSeconds(10))
                .permittedCallsInHalfOpen(7).build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        AtomicLong permitted = new AtomicLong();

        // When threads ask for permission at once, some giving their permission back
        hammer(i -> {
            if (breaker.tryAcquirePermission()) {
                permitted.incrementAndGet();
                if (i % 1000 == 0) {
                    breaker.releasePermission();
                    permitted.decrementAndGet();
                }
            }
        });

        // Then exactly 7 calls hold a permission and the breaker waits for them, HALF_OPEN
        assertThat(permitted).hasValue(7);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquirePermission()).isFalse();
    }

    private static long count(Map<String, AtomicLong> counts, String key) {
        AtomicLong value = counts.get(key);
        return value == null ? 0 : value.get();
    }

    private static void call(CircuitBreaker breaker, AtomicLong ran, boolean fail) {
        try {
            breaker.call(() -> {
                ran.incrementAndGet();
                if (fail) {
                    throw new IOException("down");
                }
                return "ok";
            });
        } catch (CallNotPermittedException | IOException expected) {
            // counted by the listener
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
