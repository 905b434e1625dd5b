package dev.resilience.ratelimit.internal;

import dev.resilience.ratelimit.Limit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Token bucket as GCRA: the state is the theoretical arrival time (TAT) of the next request. Each
 * permit moves it {@code interval} forward; a request fits while the TAT stays within
 * {@code capacity * interval} of now. The interval is {@code window / permits} rounded down to the
 * microsecond.
 */
final class GcraCounter extends LimitCounter {

    private final long interval;
    private final long tolerance;

    GcraCounter(Limit limit) {
        super(limit);
        this.interval = windowMicros(limit) / limit.permits();
        this.tolerance = interval * limit.capacity();
    }

    @Override
    public long tryConsume(AtomicLongArray words, int i, long now, int permits) {
        long cost = Math.max(1, permits) * interval;
        while (true) {
            long tat = words.get(i);
            long next = Math.max(tat, now) + cost;
            if (next - now > tolerance) {
                return REJECTED;
            }
            if (permits == 0) {
                return tat;
            }
            if (words.compareAndSet(i, tat, next)) {
                return next;
            }
        }
    }

    @Override
    public void refund(AtomicLongArray words, int i, long now, int permits) {
        words.addAndGet(i, -(long) permits * interval);
    }

    @Override
    public void adjust(AtomicLongArray words, int i, long now, long delta) {
        while (true) {
            long tat = words.get(i);
            // never emptier than empty (a penalty does not run into debt), never fuller than full
            long next = Math.max(now, Math.min(Math.max(tat, now) + delta * interval, now + tolerance));
            if (words.compareAndSet(i, tat, next)) {
                return;
            }
        }
    }

    @Override
    public long remaining(long word, long now) {
        long used = Math.max(word, now) - now;
        return Math.max(0, (tolerance - used) / interval);
    }

    @Override
    public long resetAfter(long word, long now) {
        return Math.max(0, word - now);
    }

    @Override
    public long retryAfter(long word, long now, int permits) {
        return Math.max(0, Math.max(word, now) + Math.max(1, permits) * interval - now - tolerance);
    }
}
