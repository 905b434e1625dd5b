package dev.resilience.core;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last {@code size} outcomes in a ring. A cursor (one atomic increment) picks the slot; the slot is
 * swapped only when its outcome changes, and the counts of calls, failures and slow calls live packed in
 * one atomic long (21 bits each), updated by the difference between the new and the evicted outcome, so
 * a reader always sees a matching triple. In the steady state of a healthy service the ring is full of
 * successes and a success costs one volatile read: replacing a success with a success changes nothing.
 */
final class CountBasedWindow implements SlidingWindow {

    /** Window sizes stay well below 2^21 so that in-flight updates cannot carry into the next field. */
    static final int MAX_SIZE = 1_000_000;
    private static final int BITS = 21;
    private static final long MASK = (1L << BITS) - 1;

    private final int size;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final AtomicLong cursor = new AtomicLong();
    private final AtomicIntegerArray slots;
    private final AtomicLong packed = new AtomicLong();

    CountBasedWindow(int size, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        this.size = size;
        this.minimumCalls = Math.min(minimumCalls, size);
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.slots = new AtomicIntegerArray(size);
    }

    @Override
    public boolean record(int outcome, long nowNanos) {
        if (outcome == SUCCESS && packed.get() == size) {
            // full of successes: every slot holds the same outcome, so which one this success would
            // replace makes no difference; skipping the write keeps the healthy path free of contention
            return false;
        }
        int slot = (int) ((cursor.getAndIncrement() & Long.MAX_VALUE) % size);
        if (outcome == SUCCESS && slots.get(slot) == SUCCESS) {
            return false;
        }
        int evicted = slots.getAndSet(slot, outcome);
        long counts = evicted == outcome ? packed.get() : packed.addAndGet(weight(outcome) - weight(evicted));
        if (outcome == SUCCESS && evicted != 0) {
            return false; // a success replacing an outcome can only lower the rates
        }
        long calls = counts & MASK;
        long failures = (counts >>> BITS) & MASK;
        long slow = (counts >>> (2 * BITS)) & MASK;
        // a concurrent writer between its swap and its add can leave the triple briefly off by one;
        // such a reading is skipped (the next failure decides)
        if (calls > size || failures > calls || slow > calls) {
            return false;
        }
        return SlidingWindow.exceeds(calls, failures, slow, minimumCalls, failureRateThreshold, slowCallRateThreshold);
    }

    @Override
    public long[] counts(long nowNanos) {
        long counts = packed.get();
        return new long[] {counts & MASK, (counts >>> BITS) & MASK, (counts >>> (2 * BITS)) & MASK};
    }

    private static long weight(int outcome) {
        return (outcome & 1) + ((long) ((outcome >>> 1) & 1) << BITS) + ((long) ((outcome >>> 2) & 1) << (2 * BITS));
    }
}
