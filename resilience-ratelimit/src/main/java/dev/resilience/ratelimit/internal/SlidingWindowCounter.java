package dev.resilience.ratelimit.internal;

import dev.resilience.ratelimit.Limit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sliding-window counter: the estimate is the previous window's count weighted by the share of it
 * the sliding window still covers, plus the current window's count. The state packs the window
 * number (low 22 bits), the previous count and the current count (21 bits each).
 */
final class SlidingWindowCounter extends LimitCounter {

    private static final int COUNT_BITS = 21;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long INDEX_MASK = (1L << 22) - 1;

    private final long window;
    private final long permits;

    SlidingWindowCounter(Limit limit) {
        super(limit);
        this.window = limit.window().toNanos();
        this.permits = limit.permits();
    }

    @Override
    public long tryConsume(AtomicLongArray words, int i, long now, int requested) {
        long index = (now / window) & INDEX_MASK;
        double overlap = overlap(now);
        while (true) {
            long word = words.get(i);
            long previous = previous(word, index);
            long current = current(word, index);
            if (previous * overlap + current + Math.max(1, requested) > permits) {
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
    public long remaining(long word, long now) {
        long index = (now / window) & INDEX_MASK;
        double estimate = previous(word, index) * overlap(now) + current(word, index);
        return Math.max(0, (long) Math.floor(permits - estimate));
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
        long elapsed = now % window;
        long n = Math.max(1, requested);
        long room = permits - n - current;
        if (room >= 0) {
            // wait until the previous window's weight has decayed to the room left
            long due = previous == 0 ? 0 : window - (long) Math.floor((double) room * window / previous);
            return Math.max(0, due - elapsed);
        }
        // the current window alone is too full: wait into the next window, where it becomes the previous one
        long nextRoom = permits - n;
        long due = window - (long) Math.floor((double) nextRoom * window / current);
        return window - elapsed + Math.max(0, due);
    }

    private double overlap(long now) {
        return (double) (window - now % window) / window;
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
