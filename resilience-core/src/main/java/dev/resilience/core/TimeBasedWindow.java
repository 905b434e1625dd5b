package dev.resilience.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The outcomes of the last {@code seconds} seconds in one bucket per second. A bucket is replaced (one
 * small allocation per second, not per call) when its second has passed; a success adds one to its
 * bucket's call count. Every outcome is judged by summing the live buckets, because buckets expiring can
 * raise the rates between two outcomes; a success skips that only while no failed or slow call lies in
 * the window (one volatile read), where it cannot trip the breaker.
 */
final class TimeBasedWindow implements SlidingWindow {

    static final int MAX_SECONDS = 3600;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int seconds;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final float slowCallRateThreshold;
    private final AtomicReferenceArray<Bucket> buckets;
    /** The latest second holding a failed or slow call; far in the past while there was none. */
    private final AtomicLong lastUnhealthySecond = new AtomicLong(Long.MIN_VALUE / 2);

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
            // the failure that is recorded concurrently with this success marks its second after counting,
            // then judges: it sees this call, so skipping here misses no verdict
            if (lastUnhealthySecond.get() <= second - seconds) {
                return false;
            }
        } else {
            if (SlidingWindow.isFailure(outcome)) {
                Bucket.FAILURES.incrementAndGet(bucket);
            }
            if (SlidingWindow.isSlow(outcome)) {
                Bucket.SLOW.incrementAndGet(bucket);
            }
            lastUnhealthySecond.accumulateAndGet(second, Math::max);
        }
        return sum(second, null);
    }

    @Override
    public long[] counts(long nowNanos) {
        long[] counts = new long[3];
        sum(Math.floorDiv(nowNanos, NANOS_PER_SECOND), counts);
        return counts;
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

    /**
     * Sums the buckets live at {@code second}, into {@code counts} (calls, failures, slow) when given, so
     * judging allocates nothing.
     *
     * @return true when the sums trip the breaker
     */
    private boolean sum(long second, long @Nullable [] counts) {
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
        if (counts != null) {
            counts[0] = calls;
            counts[1] = failures;
            counts[2] = slow;
        }
        return SlidingWindow.exceeds(calls, failures, slow, minimumCalls, failureRateThreshold, slowCallRateThreshold);
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
