package dev.resilience.ratelimit.internal;

import dev.resilience.ratelimit.Limit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sliding-window counter: the estimate is the previous window's count weighted by the share of it
 * the sliding window still covers, rounded up, plus the current window's count. The share is counted
 * in granules: 1 us for windows up to 2^32 us (71 minutes), {@code ceil(window / 2^32)} beyond, so every
 * product stays below 2^53 and the Redis script computes exactly the same. The state packs the window
 * number (low 22 bits), the previous count and the current count (21 bits each).
 */
final class SlidingWindowCounter extends LimitCounter {

    private static final int COUNT_BITS = 21;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long INDEX_MASK = (1L << 22) - 1;

    private final long window;
    private final long permits;
    private final long granule;
    private final long units;

    SlidingWindowCounter(Limit limit) {
        super(limit);
        this.window = windowMicros(limit);
        this.permits = limit.permits();
        this.granule = (window + (1L << 32) - 1) >>> 32;
        this.units = (window + granule - 1) / granule;
    }

    @Override
    public long tryConsume(AtomicLongArray words, int i, long now, int requested) {
        long index = (now / window) & INDEX_MASK;
        long left = left(now);
        while (true) {
            long word = words.get(i);
            long previous = previous(word, index);
            long current = current(word, index);
            if (current + weighted(previous, left) + Math.max(1, requested) > permits) {
                return REJECTED;
            }
            if (requested == 0) {
                return word;
            }
            long next = pack(index, previous, current + requested);
            if (words.compareAndSet(i, word, next)) {
                return next;
            }
        }
    }

    @Override
    public void refund(AtomicLongArray words, int i, long now, int requested) {
        long index = (now / window) & INDEX_MASK;
        while (true) {
            long word = words.get(i);
            long wordIndex = word >>> (2 * COUNT_BITS);
            long next;
            if (wordIndex == index) {
                next = word - requested;
            } else if (wordIndex == ((index + 1) & INDEX_MASK)) {
                next = word - ((long) requested << COUNT_BITS); // counted as the previous window by now
            } else {
                return;
            }
            if (words.compareAndSet(i, word, next)) {
                return;
            }
        }
    }

    @Override
    public void adjust(AtomicLongArray words, int i, long now, long delta) {
        long index = (now / window) & INDEX_MASK;
        while (true) {
            long word = words.get(i);
            long current = Math.min(COUNT_MASK, Math.max(0, current(word, index) + delta));
            if (words.compareAndSet(i, word, pack(index, previous(word, index), current))) {
                return;
            }
        }
    }

    @Override
    public long remaining(long word, long now) {
        long index = (now / window) & INDEX_MASK;
        return Math.max(0, permits - current(word, index) - weighted(previous(word, index), left(now)));
    }

    @Override
    public long resetAfter(long word, long now) {
        long index = (now / window) & INDEX_MASK;
        long untilNextWindow = window - now % window;
        if (current(word, index) > 0) {
            return untilNextWindow + window;
        }
        return previous(word, index) > 0 ? untilNextWindow : 0;
    }

    @Override
    public long retryAfter(long word, long now, int requested) {
        long index = (now / window) & INDEX_MASK;
        long previous = previous(word, index);
        long current = current(word, index);
        long n = Math.max(1, requested);
        if (current + weighted(previous, left(now)) + n <= permits) {
            return 0;
        }
        long elapsed = now % window;
        long room = permits - n - current;
        // in this window, once the previous window's weight has decayed to the room left
        long due = room >= 0 ? granule * (units - room * units / previous) : window;
        if (due < window) {
            return due - elapsed;
        }
        // in the next window, where the current count weighs in as the previous one
        long later = current == 0 ? 0 : Math.min(granule * (units - (permits - n) * units / current), window);
        return window - elapsed + later;
    }

    /** The granules of the previous window the sliding window still covers at {@code now}: 1..units. */
    private long left(long now) {
        return units - (now % window) / granule;
    }

    /** The previous window's count times {@code left / units}, rounded up. */
    private long weighted(long previous, long left) {
        return previous == 0 ? 0 : (previous * left + units - 1) / units;
    }

    private static long previous(long word, long index) {
        long wordIndex = word >>> (2 * COUNT_BITS);
        if (wordIndex == index) {
            return (word >>> COUNT_BITS) & COUNT_MASK;
        }
        return wordIndex == ((index - 1) & INDEX_MASK) ? word & COUNT_MASK : 0;
    }

    private static long current(long word, long index) {
        return word >>> (2 * COUNT_BITS) == index ? word & COUNT_MASK : 0;
    }

    private static long pack(long index, long previous, long current) {
        return index << (2 * COUNT_BITS) | previous << COUNT_BITS | current;
    }
}
