package dev.resilience.ratelimit;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The documented semantics of the three algorithms, written for clarity rather than speed: unpacked
 * state (a count per window, a theoretical arrival time), exact rationals through {@link BigInteger},
 * and retry and reset times found by searching for the earliest moment the request fits (or the state
 * is empty) instead of by formula. The differential tests hold both limiters to it. Times are
 * microseconds since the epoch. Not thread-safe.
 */
final class ReferenceRateLimiter {

    /** The fields of a decision, times in microseconds. */
    record Outcome(boolean allowed, String limitName, long remaining, long resetMicros, long retryMicros) {

        static Outcome of(Decision decision) {
            return new Outcome(decision.allowed(), decision.limitName(), decision.remaining(),
                    decision.resetAfterNanos() / 1_000, decision.retryAfterNanos() / 1_000);
        }
    }

    private final List<Limit> limits;
    private final Map<String, State[]> keys = new HashMap<>();

    ReferenceRateLimiter(RateLimitPolicy policy) {
        this.limits = policy.limits();
    }

    private State[] states(String key) {
        return keys.computeIfAbsent(key, k -> {
            State[] fresh = new State[limits.size()];
            for (int i = 0; i < fresh.length; i++) {
                fresh[i] = new State(limits.get(i));
            }
            return fresh;
        });
    }

    Outcome decide(String key, int permits, long now) {
        State[] states = states(key);
        int n = Math.max(1, permits);
        boolean all = true;
        for (State state : states) {
            all &= state.fits(now, n);
        }
        if (all) {
            if (permits > 0) {
                for (State state : states) {
                    state.take(now, permits);
                }
            }
            int decider = 0;
            for (int i = 1; i < states.length; i++) {
                if (states[i].remaining(now) < states[decider].remaining(now)) {
                    decider = i;
                }
            }
            State chosen = states[decider];
            return new Outcome(true, chosen.limit.name(), chosen.remaining(now), chosen.resetAfter(now), 0);
        }
        int decider = -1;
        long longest = -1;
        for (int i = 0; i < states.length; i++) {
            State state = states[i];
            long retry = earliest(t -> state.fits(t, n), now, now + state.horizon(now, n)) - now;
            if (retry > longest) {
                longest = retry;
                decider = i;
            }
        }
        State chosen = states[decider];
        return new Outcome(false, chosen.limit.name(), 0, chosen.resetAfter(now), longest);
    }

    /** Adds {@code delta} permits to every limit (a penalty; a refund when negative), fit or not. */
    void adjust(String key, long delta, long now) {
        for (State state : states(key)) {
            if (state.limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
                state.tat = Math.max(now, Math.min(Math.max(state.tat, now) + delta * state.interval, now + state.tolerance));
            } else {
                state.counts.merge(Math.floorDiv(now, state.window), delta, (count, d) -> Math.max(0, count + d));
                state.counts.computeIfPresent(Math.floorDiv(now, state.window), (index, count) -> Math.max(0, count));
            }
        }
    }

    /**
     * The {@code t} of the {@code RateLimit} header for {@code limitName} of the key at {@code now}, in
     * microseconds, as documented: a window, until the window in progress ends (0 when nothing weighs
     * in); a token bucket, until the remaining permits next grow (0 when full). Found by search for the
     * bucket, not by the formula the header uses.
     */
    long resetHeaderMicros(String key, String limitName, long now) {
        for (State state : states(key)) {
            if (!state.limit.name().equals(limitName)) {
                continue;
            }
            if (state.limit.algorithm() != Limit.Algorithm.TOKEN_BUCKET) {
                return state.scaledEstimate(now).signum() == 0 ? 0 : state.window - Math.floorMod(now, state.window);
            }
            long remaining = state.remaining(now);
            if (remaining >= state.limit.capacity()) {
                return 0;
            }
            return earliest(t -> state.remaining(t) > remaining, now, now + state.interval) - now;
        }
        throw new IllegalArgumentException("no limit " + limitName);
    }

    /** The earliest time in [from, to] at which a predicate that stays true once true holds. */
    private static long earliest(LongPredicate holds, long from, long to) {
        if (!holds.test(to)) {
            throw new AssertionError("the model's horizon is too short");
        }
        long low = from;
        long high = to;
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (holds.test(mid)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    private static final class State {
        final Limit limit;
        final long window;
        final long quota;
        final long interval;
        final long tolerance;
        final long granule;
        final long units;
        final Map<Long, Long> counts = new HashMap<>();
        long tat;

        State(Limit limit) {
            this.limit = limit;
            this.window = limit.window().toNanos() / 1_000;
            this.quota = limit.permits();
            this.interval = window / quota;
            this.tolerance = interval * limit.capacity();
            // the previous window's weight is counted in granules: 1 us up to 2^32 us, ceil(window / 2^32) beyond
            this.granule = Math.max(1, (window + (1L << 32) - 1) / (1L << 32));
            this.units = (window + granule - 1) / granule;
        }

        /** How far ahead of now a request of n surely fits (n is at most the capacity). */
        long horizon(long now, int n) {
            return limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET ? Math.max(tat, now) - now + n * interval : 2 * window;
        }

        long count(long index) {
            return counts.getOrDefault(index, 0L);
        }

        /** {@code units} times the estimate at t: exact, without rounding. */
        BigInteger scaledEstimate(long t) {
            long index = Math.floorDiv(t, window);
            BigInteger current = BigInteger.valueOf(count(index)).multiply(BigInteger.valueOf(units));
            if (limit.algorithm() == Limit.Algorithm.FIXED_WINDOW) {
                return current;
            }
            long left = units - (t - index * window) / granule;
            return current.add(BigInteger.valueOf(count(index - 1)).multiply(BigInteger.valueOf(left)));
        }

        boolean fits(long t, int n) {
            if (limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
                return Math.max(tat, t) + n * interval - t <= tolerance;
            }
            BigInteger wanted = scaledEstimate(t).add(BigInteger.valueOf(n).multiply(BigInteger.valueOf(units)));
            return wanted.compareTo(BigInteger.valueOf(quota).multiply(BigInteger.valueOf(units))) <= 0;
        }

        void take(long t, int permits) {
            if (limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
                tat = Math.max(tat, t) + permits * interval;
            } else {
                counts.merge(Math.floorDiv(t, window), (long) permits, Long::sum);
            }
        }

        long remaining(long t) {
            if (limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
                return Math.max(0, (tolerance - (Math.max(tat, t) - t)) / interval);
            }
            BigInteger free = BigInteger.valueOf(quota).multiply(BigInteger.valueOf(units)).subtract(scaledEstimate(t));
            long floor = free.signum() < 0 ? -1 : free.divide(BigInteger.valueOf(units)).longValueExact();
            return Math.max(0, floor);
        }

        /** Until nothing counted any more weighs in. */
        long resetAfter(long now) {
            if (limit.algorithm() == Limit.Algorithm.TOKEN_BUCKET) {
                return Math.max(0, tat - now);
            }
            return earliest(t -> scaledEstimate(t).signum() == 0, now, now + 2 * window) - now;
        }
    }
}
