package dev.resilience.ratelimit.internal;

import dev.resilience.ratelimit.Limit;
import java.util.concurrent.atomic.AtomicLongArray;

/** Fixed window: the state packs the window number (low 32 bits of it) and the count (32 bits). */
final class FixedWindowCounter extends LimitCounter {

    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final long window;
    private final long permits;

    FixedWindowCounter(Limit limit) {
        super(limit);
        this.window = windowMicros(limit);
        this.permits = limit.permits();
    }

    @Override
    public long tryConsume(AtomicLongArray words, int i, long now, int requested) {
        long index = (now / window) & COUNT_MASK;
        while (true) {
            long word = words.get(i);
            long count = count(word, index);
            if (count + Math.max(1, requested) > permits) {
                return REJECTED;
            }
            if (requested == 0) {
                return word;
            }
            long next = index << 32 | (count + requested);
            if (words.compareAndSet(i, word, next)) {
                return next;
            }
        }
    }

    @Override
    public void refund(AtomicLongArray words, int i, long now, int requested) {
        long index = (now / window) & COUNT_MASK;
        while (true) {
            long word = words.get(i);
            if (word >>> 32 != index) {
                return; // the window has moved on: nothing of this request is counted any more
            }
            if (words.compareAndSet(i, word, word - requested)) {
                return;
            }
        }
    }

    @Override
    public void adjust(AtomicLongArray words, int i, long now, long delta) {
        long index = (now / window) & COUNT_MASK;
        while (true) {
            long word = words.get(i);
            long count = Math.min(COUNT_MASK, Math.max(0, count(word, index) + delta));
            if (words.compareAndSet(i, word, index << 32 | count)) {
                return;
            }
        }
    }

    @Override
    public long remaining(long word, long now) {
        return Math.max(0, permits - count(word, (now / window) & COUNT_MASK));
    }

    @Override
    public long resetAfter(long word, long now) {
        return count(word, (now / window) & COUNT_MASK) == 0 ? 0 : window - now % window;
    }

    @Override
    public long retryAfter(long word, long now, int requested) {
        long count = count(word, (now / window) & COUNT_MASK);
        return count + Math.max(1, requested) <= permits ? 0 : window - now % window;
    }

    private static long count(long word, long index) {
        return word >>> 32 == index ? word & COUNT_MASK : 0;
    }
}
