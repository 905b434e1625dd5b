package dev.resilience.health.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests of one route over a sliding window: how many, how many answered 5xx, and a latency
 * histogram, so that percentiles and the error rate cover every outcome of the route over the whole
 * window (not one status or exception, not the time between two reads).
 *
 * <p>The window is cut into {@value #SLOTS} slots (30 s each for 5 minutes); a read covers the slot
 * under way and the {@value #SLOTS} - 1 before it, so between 9/10 of the window and the whole of it.
 * Latencies fall into 208 buckets: 1 µs wide below 16 µs, then 8 per power of two (each at most 1/8
 * of its lower bound wide) up to 2^28 µs (4.5 min; longer ones count as that). A percentile is
 * interpolated inside its bucket, so it is off by less than 12.5 %. About 8 KB per route.
 *
 * <p>Thread-safe and lock-free when recording, except for the first request of each slot, which
 * clears the slot under its lock. A read during that clearing may miss a few requests.
 */
public final class RequestWindow {

    /** The number of slots the window is cut into. */
    public static final int SLOTS = 10;
    private static final int LINEAR = 16;
    private static final int SUB_BUCKETS = 8;
    private static final int MAX_EXPONENT = 27;
    static final int BUCKETS = LINEAR + (MAX_EXPONENT - 3) * SUB_BUCKETS;
    private static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;

    private final long slotNanos;
    private final Slot[] slots = new Slot[SLOTS];

    /** @param window the span a read covers; cut into {@value #SLOTS} slots */
    public RequestWindow(Duration window) {
        this.slotNanos = window.toNanos() / SLOTS;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Slot();
        }
    }

    /** Records a request that ended at {@code nowNanos} (monotonic) after {@code durationNanos}. */
    public void record(long nowNanos, long durationNanos, boolean serverError) {
        long index = Math.floorDiv(nowNanos, slotNanos);
        Slot slot = slots[(int) Math.floorMod(index, (long) SLOTS)];
        if (slot.index != index) {
            slot.reset(index);
        }
        slot.buckets.incrementAndGet(bucket(durationNanos));
        slot.requests.incrementAndGet();
        if (serverError) {
            slot.errors.incrementAndGet();
        }
    }

    /** The requests of the window ending at {@code nowNanos}. */
    public Snapshot snapshot(long nowNanos) {
        long current = Math.floorDiv(nowNanos, slotNanos);
        Snapshot snapshot = new Snapshot();
        for (Slot slot : slots) {
            long index = slot.index;
            if (index <= current && index > current - SLOTS) {
                snapshot.requests += slot.requests.get();
                snapshot.errors += slot.errors.get();
                for (int i = 0; i < BUCKETS; i++) {
                    snapshot.buckets[i] += slot.buckets.get(i);
                }
            }
        }
        return snapshot;
    }

    static int bucket(long nanos) {
        long micros = Math.min(Math.max(nanos / 1000, 0), MAX_MICROS);
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        int sub = (int) (micros >>> (exponent - 3)) & (SUB_BUCKETS - 1);
        return LINEAR + (exponent - 4) * SUB_BUCKETS + sub;
    }

    static long lowerMicros(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = 4 + (bucket - LINEAR) / SUB_BUCKETS;
        int sub = (bucket - LINEAR) % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + sub) << (exponent - 3);
    }

    static long upperMicros(int bucket) {
        return bucket < LINEAR ? bucket + 1 : lowerMicros(bucket) + (1L << (4 + (bucket - LINEAR) / SUB_BUCKETS - 3));
    }

    /** The requests of one window, merged over its slots. Not thread-safe; used by one reader. */
    public static final class Snapshot {
        private final long[] buckets = new long[BUCKETS];
        private long requests;
        private long errors;

        public long requests() {
            return requests;
        }

        /** Requests answered with a 5xx status. */
        public long serverErrors() {
            return errors;
        }

        /**
         * The latency below which {@code percentile} (0 to 1) of the requests fall, in seconds; NaN
         * when the window holds no request.
         */
        public double percentileSeconds(double percentile) {
            long total = 0;
            for (long count : buckets) {
                total += count;
            }
            if (total == 0) {
                return Double.NaN;
            }
            long rank = Math.max(1, (long) Math.ceil(percentile * total));
            long below = 0;
            for (int i = 0; i < BUCKETS; i++) {
                long count = buckets[i];
                if (count > 0 && below + count >= rank) {
                    double lower = lowerMicros(i);
                    double micros = lower + (upperMicros(i) - lower) * (rank - below) / count;
                    return micros / 1e6;
                }
                below += count;
            }
            return upperMicros(BUCKETS - 1) / 1e6;
        }
    }

    private static final class Slot {
        volatile long index = Long.MIN_VALUE;
        final AtomicIntegerArray buckets = new AtomicIntegerArray(BUCKETS);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        synchronized void reset(long newIndex) {
            if (index == newIndex) {
                return;
            }
            index = Long.MIN_VALUE;
            for (int i = 0; i < BUCKETS; i++) {
                buckets.set(i, 0);
            }
            requests.set(0);
            errors.set(0);
            index = newIndex;
        }
    }
}
