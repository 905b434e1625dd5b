package dev.resilience.core;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The outcomes of the last {@code seconds} seconds in one bucket per second. A bucket is replaced (one
 * small allocation per second, not per call) when its second has passed; a success adds one to its
 * bucket's call count. Failures and slow calls sum the live buckets to judge the rates.
 */
final class TimeBasedWindow implements SlidingWindow {

    static final int MAX_SECONDS = 3600;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int seconds;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final AtomicReferenceArray<Bucket> buckets;

    TimeBasedWindow(int seconds, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        this.seconds = seconds;
        this.minimumCalls = minimumCalls;
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.buckets = new AtomicReferenceArray<>(seconds);
    }

    @Override
    public boolean record(int outcome, long nowNanos) {
        long second = Math.floorDiv(nowNanos, NANOS_PER_SECOND);
        Bucket bucket = bucket(second);
        Bucket.CALLS.incrementAndGet(bucket);
        if (outcome == SUCCESS) {
            return false;
        }
        if (SlidingWindow.isFailure(outcome)) {
            Bucket.FAILURES.incrementAndGet(bucket);
        }
        if (SlidingWindow.isSlow(outcome)) {
            Bucket.SLOW.incrementAndGet(bucket);
        }
        long[] counts = sum(second);
        return SlidingWindow.exceeds(counts[0], counts[1], counts[2], minimumCalls, failureRateThreshold,
                slowCallRateThreshold);
    }

    @Override
    public long[] counts(long nowNanos) {
        return sum(Math.floorDiv(nowNanos, NANOS_PER_SECOND));
    }

    private Bucket bucket(long second) {
        int index = (int) Math.floorMod(second, (long) seconds);
        while (true) {
            Bucket current = buckets.get(index);
            if (current != null && current.second >= second) {
                return current;
            }
            Bucket fresh = new Bucket(second);
            if (buckets.compareAndSet(index, current, fresh)) {
                return fresh;
            }
        }
    }

    private long[] sum(long second) {
        long calls = 0;
        long failures = 0;
        long slow = 0;
        for (int i = 0; i < seconds; i++) {
            Bucket bucket = buckets.get(i);
            if (bucket != null && bucket.second > second - seconds && bucket.second <= second) {
                // read failures and slow first: they are incremented after calls, so calls >= both
                long f = bucket.failures;
                long s = bucket.slow;
                calls += bucket.calls;
                failures += f;
                slow += s;
            }
        }
        return new long[] {calls, failures, slow};
    }

    /** The counts of one second. */
    static final class Bucket {
        static final AtomicLongFieldUpdater<Bucket> CALLS = AtomicLongFieldUpdater.newUpdater(Bucket.class, "calls");
        static final AtomicLongFieldUpdater<Bucket> FAILURES = AtomicLongFieldUpdater.newUpdater(Bucket.class, "failures");
        static final AtomicLongFieldUpdater<Bucket> SLOW = AtomicLongFieldUpdater.newUpdater(Bucket.class, "slow");

        final long second;
        volatile long calls;
        volatile long failures;
        volatile long slow;

        Bucket(long second) {
            this.second = second;
        }
    }
}
