package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Differential test: thousands of seeded random configurations and call sequences (blocking and
 * asynchronous calls; failures thrown, returned values recorded as failures, ignored exceptions; permissions
 * taken and never reported, or released), each run on the real breaker and on {@link Model}, a plain reference of the documented state machine (lists instead of
 * rings and buckets, no concurrency, every outcome judged). After every step both must agree on whether
 * the call was permitted, the state, the buffered calls and both rates. A failure names the seed and step
 * so it can be replayed alone with {@link #replay(long, boolean)}.
 */
class CircuitBreakerModelTest {

    private static final int SEQUENCES = 2000;
    private static final int STEPS = 300;
    private static final long MS = 1_000_000L;
    /** A returned value the breaker records as a failure. */
    private static final String BAD = "bad";

    /** How many times each kind of transition happened over all sequences, so the test cannot pass idle. */
    private final long[] transitions = new long[6];

    @Test
    void breakerAgreesWithTheReferenceModelOnRandomSequences() {
        for (long seed = 1; seed <= SEQUENCES; seed++) {
            replay(seed, false);
        }
        assertThat(transitions[Model.TO_OPEN]).as("CLOSED -> OPEN").isGreaterThan(1000);
        assertThat(transitions[Model.TO_HALF_OPEN]).as("OPEN -> HALF_OPEN").isGreaterThan(1000);
        assertThat(transitions[Model.TO_CLOSED]).as("HALF_OPEN -> CLOSED").isGreaterThan(100);
        assertThat(transitions[Model.REOPEN]).as("HALF_OPEN -> OPEN").isGreaterThan(100);
        assertThat(transitions[Model.LOST_PROBES]).as("HALF_OPEN -> OPEN, lost probes").isGreaterThan(10);
        assertThat(transitions[Model.GREW]).as("reopened for longer").isGreaterThan(100);
    }

    /**
     * Runs sequence {@code seed}: a random configuration and {@link #STEPS} random steps. On a disagreement
     * it runs the sequence again, describing each step, so the failure shows the steps that led to it.
     */
    void replay(long seed, boolean describe) {
        SplittableRandom random = new SplittableRandom(seed);
        ManualClock clock = new ManualClock();
        Config config = Config.random(random);
        CircuitBreaker breaker = config.build(clock);
        Model model = new Model(config, transitions);
        double failureChance = random.nextDouble();
        Deque<String> history = new ArrayDeque<>();

        for (int step = 0; step < STEPS; step++) {
            int kind = random.nextInt(100);
            String what = null;
            boolean permitted;
            boolean expected;
            if (kind < 70) {
                boolean fails = random.nextDouble() < failureChance;
                boolean badResult = fails && random.nextBoolean(); // a returned value recordResult counts as failed
                boolean async = random.nextBoolean();
                long took = coarse(random, config.slowCallNanos > 0 ? 2 * config.slowCallNanos : 1000 * MS);
                what = describe ? (async ? "async " : "") + (badResult ? "bad result" : fails ? "failing" : "succeeding")
                        + " call of " + took / MS + " ms" : null;
                expected = model.acquire(clock.nanoTime());
                permitted = call(breaker, clock, async, took, fails && !badResult ? new IOException("down") : null,
                        badResult ? BAD : "ok");
                if (expected) {
                    model.record(fails, config.slowCallNanos > 0 && took >= config.slowCallNanos, clock.nanoTime());
                }
            } else if (kind < 74) {
                long took = coarse(random, 1000 * MS);
                what = describe ? "ignored call of " + took / MS + " ms" : null;
                expected = model.acquire(clock.nanoTime());
                permitted = call(breaker, clock, random.nextBoolean(), took, new IllegalArgumentException("ignored"), null);
                if (expected) {
                    model.release();
                }
            } else if (kind < 77) {
                what = "permission asked, never reported";
                expected = model.acquire(clock.nanoTime());
                permitted = breaker.tryAcquirePermission();
            } else if (kind < 80) {
                what = "permission asked and released";
                expected = model.acquire(clock.nanoTime());
                permitted = breaker.tryAcquirePermission();
                if (permitted) {
                    breaker.releasePermission();
                }
                if (expected) {
                    model.release();
                }
            } else {
                long gap = coarse(random, config.maxGapNanos());
                what = describe ? "time passes " + gap / MS + " ms" : null;
                clock.advance(Duration.ofNanos(gap));
                expected = true;
                permitted = true;
            }
            long now = clock.nanoTime();
            if (describe) {
                history.addLast(step + ": " + what + " -> " + model.describe(now));
                if (history.size() > 12) {
                    history.removeFirst();
                }
            }
            boolean agree = permitted == expected && breaker.state() == model.state
                    && breaker.bufferedCalls() == model.bufferedCalls(now)
                    && breaker.failureRate() == model.rate(now, false)
                    && breaker.slowCallRate() == model.rate(now, true);
            if (!agree && !describe) {
                replay(seed, true);
            }
            if (!agree) {
                fail("seed %d, step %d, %s%n  %s%nbreaker: permitted %s, %s, %d calls, failure rate %s, slow-call rate %s"
                        + "%nmodel:   permitted %s, %s", seed, step, config, String.join("\n  ", history), permitted,
                        breaker.state(), breaker.bufferedCalls(), breaker.failureRate(), breaker.slowCallRate(),
                        expected, model.describe(now));
            }
        }
    }

    /**
     * A random duration below {@code bound}: in steps of 100 ms more often than not, so calls end exactly
     * on slow-call thresholds, open durations, maximum waits and second boundaries; else to the nanosecond.
     */
    private static long coarse(SplittableRandom random, long bound) {
        long nanos = random.nextLong(bound);
        return random.nextInt(4) == 0 ? nanos : nanos - nanos % (100 * MS);
    }

    /**
     * Calls through the breaker, blocking or asynchronously, work that takes {@code took} and then throws
     * {@code failure}, or returns {@code result} when there is no failure.
     *
     * @return false when the breaker rejected the call
     */
    private static boolean call(CircuitBreaker breaker, ManualClock clock, boolean async, long took, Exception failure,
            String result) {
        if (async) {
            Throwable outcome = breaker.<String>callAsync(() -> {
                clock.advance(Duration.ofNanos(took));
                return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(result);
            }).toCompletableFuture().handle((value, thrown) -> thrown).join();
            if (outcome instanceof CallNotPermittedException) {
                return false;
            }
            assertThat(outcome).isSameAs(failure);
            return true;
        }
        try {
            assertThat(breaker.call(() -> {
                clock.advance(Duration.ofNanos(took));
                if (failure != null) {
                    throw failure;
                }
                return result;
            })).isSameAs(result);
            return true;
        } catch (CallNotPermittedException rejected) {
            return false;
        } catch (Exception thrown) {
            assertThat(thrown).isSameAs(failure);
            return true;
        }
    }

    /** A random breaker configuration. */
    static final class Config {
        boolean timeBased;
        int windowSize;
        int minimumCalls;
        float failureRateThreshold;
        float slowCallRateThreshold;
        long slowCallNanos;
        long openNanos;
        double multiplier;
        long maxOpenNanos;
        int probes;
        long maxWaitNanos;

        static Config random(SplittableRandom random) {
            Config c = new Config();
            c.timeBased = random.nextBoolean();
            c.windowSize = c.timeBased ? 1 + random.nextInt(5) : 1 + random.nextInt(20);
            c.minimumCalls = 1 + random.nextInt(25);
            float[] thresholds = {1f, 25f, 100f / 3, 50f, 200f / 3, 100f};
            c.failureRateThreshold = random.nextBoolean() ? thresholds[random.nextInt(thresholds.length)]
                    : 1 + random.nextInt(991) / 10f;
            c.slowCallRateThreshold = random.nextBoolean() ? thresholds[random.nextInt(thresholds.length)]
                    : 1 + random.nextInt(991) / 10f;
            c.slowCallNanos = random.nextBoolean() ? 0 : (1 + random.nextInt(19)) * 100 * MS;
            c.openNanos = (1 + random.nextInt(10)) * 1000 * MS;
            double[] multipliers = {1.0, 1.5, 2.0};
            c.multiplier = multipliers[random.nextInt(multipliers.length)];
            c.maxOpenNanos = c.openNanos * (1 << random.nextInt(4));
            c.probes = 1 + random.nextInt(5);
            c.maxWaitNanos = (1 + random.nextInt(30)) * 1000 * MS;
            return c;
        }

        CircuitBreaker build(ManualClock clock) {
            CircuitBreaker.Builder builder = CircuitBreaker.builder("model").clock(clock)
                    .minimumNumberOfCalls(minimumCalls)
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .openDuration(Duration.ofNanos(openNanos))
                    .openDurationMultiplier(multiplier)
                    .maxOpenDuration(Duration.ofNanos(maxOpenNanos))
                    .permittedCallsInHalfOpen(probes)
                    .maxWaitInHalfOpen(Duration.ofNanos(maxWaitNanos))
                    .ignore(IllegalArgumentException.class)
                    .recordResult(result -> result == BAD);
            if (timeBased) {
                builder.timeBasedWindow(Duration.ofSeconds(windowSize));
            } else {
                builder.countBasedWindow(windowSize);
            }
            if (slowCallNanos > 0) {
                builder.slowCallDuration(Duration.ofNanos(slowCallNanos));
            }
            return builder.build();
        }

        /** Gaps long enough to let windows expire and open durations pass, short enough to see each. */
        long maxGapNanos() {
            return Math.max(openNanos, (timeBased ? windowSize : 1) * 1000 * MS) + 1000 * MS;
        }

        @Override
        public String toString() {
            return (timeBased ? "time window " + windowSize + " s" : "count window " + windowSize)
                    + ", minimum " + minimumCalls + ", failure " + failureRateThreshold + " %, slow "
                    + (slowCallNanos == 0 ? "off" : slowCallNanos / MS + " ms at " + slowCallRateThreshold + " %")
                    + ", open " + openNanos / MS + " ms x" + multiplier + " up to " + maxOpenNanos / MS + " ms, "
                    + probes + " probes within " + maxWaitNanos / MS + " ms";
        }
    }

    /**
     * The documented state machine, written plainly. CLOSED keeps every recorded call (end time, failed,
     * slow) and judges after each one: the last N calls, or the calls whose second lies in the last N
     * seconds; it opens when they are at least the minimum (for a count window at most N) and a rate reaches
     * its threshold. OPEN lasts open duration x multiplier^reopenings, at most the maximum, and turns
     * HALF_OPEN on the first permission asked after it. HALF_OPEN permits the probes; when all have reported
     * it closes (fresh window) or reopens (one more reopening) on the same thresholds with a minimum of 1;
     * when all are out and none was permitted for the maximum wait, a permission request reopens it.
     */
    static final class Model {
        static final int TO_OPEN = 0;
        static final int TO_HALF_OPEN = 1;
        static final int TO_CLOSED = 2;
        static final int REOPEN = 3;
        static final int LOST_PROBES = 4;
        static final int GREW = 5;

        final Config config;
        final long[] transitions;
        State state = State.CLOSED;
        final Deque<long[]> calls = new ArrayDeque<>();
        long openUntil;
        int reopenings;
        int permits;
        int reported;
        int failedProbes;
        int slowProbes;
        long lastPermit;

        Model(Config config, long[] transitions) {
            this.config = config;
            this.transitions = transitions;
        }

        boolean acquire(long now) {
            while (true) {
                switch (state) {
                    case CLOSED:
                        return true;
                    case OPEN:
                        if (now < openUntil) {
                            return false;
                        }
                        state = State.HALF_OPEN;
                        permits = config.probes;
                        reported = 0;
                        failedProbes = 0;
                        slowProbes = 0;
                        lastPermit = now;
                        transitions[TO_HALF_OPEN]++;
                        break;
                    default: // HALF_OPEN
                        if (permits > 0) {
                            permits--;
                            lastPermit = now;
                            return true;
                        }
                        if (now - lastPermit < config.maxWaitNanos) {
                            return false;
                        }
                        transitions[LOST_PROBES]++;
                        open(reopenings + 1, now);
                }
            }
        }

        void release() {
            if (state == State.HALF_OPEN && permits < config.probes) {
                permits++;
            }
        }

        void record(boolean failed, boolean slow, long now) {
            if (state == State.CLOSED) {
                calls.add(new long[] {now, failed ? 1 : 0, slow ? 1 : 0});
                long[] counts = counts(now);
                if (trips(counts, Math.min(config.minimumCalls, config.timeBased ? Integer.MAX_VALUE : config.windowSize))) {
                    transitions[TO_OPEN]++;
                    open(0, now);
                }
            } else if (state == State.HALF_OPEN) {
                reported++;
                failedProbes += failed ? 1 : 0;
                slowProbes += slow ? 1 : 0;
                if (reported == config.probes) {
                    if (trips(new long[] {reported, failedProbes, slowProbes}, 1)) {
                        transitions[REOPEN]++;
                        open(reopenings + 1, now);
                    } else {
                        transitions[TO_CLOSED]++;
                        state = State.CLOSED;
                        calls.clear();
                    }
                }
            }
        }

        private void open(int reopenings, long now) {
            long duration = Math.min(config.maxOpenNanos, (long) (config.openNanos * Math.pow(config.multiplier, reopenings)));
            if (reopenings > 0 && duration > config.openNanos) {
                transitions[GREW]++;
            }
            state = State.OPEN;
            this.reopenings = reopenings;
            openUntil = now + duration;
        }

        private boolean trips(long[] counts, int minimum) {
            long total = counts[0];
            if (total == 0 || total < minimum) {
                return false;
            }
            boolean failing = counts[1] * 100.0 >= config.failureRateThreshold * total;
            boolean slow = config.slowCallNanos > 0 && counts[2] * 100.0 >= config.slowCallRateThreshold * total;
            return failing || slow;
        }

        /** {calls, failed, slow} in the CLOSED window as of {@code now}; drops calls that left it for good. */
        long[] counts(long now) {
            long second = Math.floorDiv(now, 1000 * MS);
            while (!calls.isEmpty() && (config.timeBased
                    ? Math.floorDiv(calls.peekFirst()[0], 1000 * MS) <= second - config.windowSize
                    : calls.size() > config.windowSize)) {
                calls.removeFirst();
            }
            long[] counts = new long[3];
            for (long[] call : calls) {
                counts[0]++;
                counts[1] += call[1];
                counts[2] += call[2];
            }
            return counts;
        }

        long bufferedCalls(long now) {
            return state == State.CLOSED ? counts(now)[0] : 0;
        }

        float rate(long now, boolean slow) {
            if (state != State.CLOSED) {
                return -1f;
            }
            long[] counts = counts(now);
            int minimum = Math.min(config.minimumCalls, config.timeBased ? Integer.MAX_VALUE : config.windowSize);
            if (counts[0] == 0 || counts[0] < minimum) {
                return -1f;
            }
            return counts[slow ? 2 : 1] * 100f / counts[0];
        }

        String describe(long now) {
            switch (state) {
                case CLOSED:
                    long[] counts = counts(now);
                    return "CLOSED " + counts[0] + " calls, " + counts[1] + " failed, " + counts[2] + " slow, failure rate "
                            + rate(now, false) + ", slow-call rate " + rate(now, true);
                case OPEN:
                    return "OPEN for " + (openUntil - now) / MS + " ms more (reopenings " + reopenings + ")";
                default:
                    return "HALF_OPEN " + permits + " permits left, " + reported + " reported, " + failedProbes + " failed";
            }
        }
    }
}
