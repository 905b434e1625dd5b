package dev.resilience.core;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The last {@code size} outcomes in a ring, judged exactly: every outcome that changes the window is
 * recorded and judged under a short lock (no blocking work, no allocation unless threads contend), so
 * each verdict is the one a single thread recording the calls one by one would reach. The counts of
 * calls, failures and slow calls live packed in one volatile long (21 bits each), so a reader always sees
 * a matching triple.
 *
 * <p>The healthy path takes no lock: while the ring is full of successes a success changes nothing
 * (whichever slot it replaced would hold a success too, and a success cannot trip the breaker), so it
 * costs one volatile read and no write.
 */
final class CountBasedWindow implements SlidingWindow {

    /** Window sizes stay below 2^21 so that each count fits its packed field. */
    static final int MAX_SIZE = 1_000_000;
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;

    private final int size;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}. */
    private final int[] slots;
    /** The next slot to write; guarded by {@link #lock}. */
    private int cursor;
    /** Written under {@link #lock}; read anywhere. */
    private volatile long packed;

    CountBasedWindow(int size, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        this.size = size;
        this.minimumCalls = Math.min(minimumCalls, size);
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.slots = new int[size];
    }

    @Override
    public boolean record(int outcome, long nowNanos) {
        if (outcome == SUCCESS && packed == size) {
            return false; // full of successes: see the class comment
        }
        lock.lock();
        try {
            int slot = cursor;
            cursor = slot + 1 == size ? 0 : slot + 1;
            int evicted = slots[slot];
            slots[slot] = outcome;
            long counts = packed + weight(outcome) - weight(evicted);
            packed = counts;
            return SlidingWindow.exceeds(counts & MASK, (counts >>> BITS) & MASK, (counts >>> (2 * BITS)) & MASK,
                    minimumCalls, failureRateThreshold, slowCallRateThreshold);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long[] counts(long nowNanos) {
        long counts = packed;
        return new long[] {counts & MASK, (counts >>> BITS) & MASK, (counts >>> (2 * BITS)) & MASK};
    }

    private static long weight(int outcome) {
        return (outcome & 1) + ((long) ((outcome >>> 1) & 1) << BITS) + ((long) ((outcome >>> 2) & 1) << (2 * BITS));
    }
}
