package dev.resilience.health.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed-capacity ring of timestamped samples (one value per statistic of a meter); the oldest is
 * overwritten when full. Thread-safe: writes and snapshots take a short lock, never held while
 * blocking.
 */
public final class SampleRing {

    private final long[] times;
    private final double[][] values;
    private final ReentrantLock lock = new ReentrantLock();
    private int next;
    private int size;

    public SampleRing(int capacity) {
        times = new long[capacity];
        values = new double[capacity][];
    }

    public void add(long epochMillis, double[] sample) {
        lock.lock();
        try {
            times[next] = epochMillis;
            values[next] = sample;
            next = (next + 1) % times.length;
            size = Math.min(size + 1, times.length);
        } finally {
            lock.unlock();
        }
    }

    /** Oldest first: each entry is {time (epoch ms), values}. */
    public List<Object[]> snapshot() {
        lock.lock();
        try {
            List<Object[]> out = new ArrayList<>(size);
            int start = (next - size + times.length) % times.length;
            for (int i = 0; i < size; i++) {
                int index = (start + i) % times.length;
                out.add(new Object[] {times[index], values[index]});
            }
            return out;
        } finally {
            lock.unlock();
        }
    }
}
