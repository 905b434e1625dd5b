package dev.resilience.health.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per key, the samples (time, values) of the last {@code window} milliseconds, for alert conditions that compare a
 * meter with what it read a while ago. Thread-safe (every method takes the monitor briefly; nothing blocks inside).
 */
public final class SlidingSamples {

    private final long windowMillis;
    private final Map<String, Deque<double[]>> series = new HashMap<>();

    public SlidingSamples(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /**
     * Adds {@code values} at {@code epochMillis} to {@code key}'s series, drops the samples older than the window,
     * and returns the series' oldest sample still in the window: {@code [time, values...]}.
     */
    public synchronized double[] addAndGetOldest(String key, long epochMillis, double... values) {
        Deque<double[]> samples = series.computeIfAbsent(key, k -> new ArrayDeque<>());
        double[] sample = new double[values.length + 1];
        sample[0] = epochMillis;
        System.arraycopy(values, 0, sample, 1, values.length);
        samples.addLast(sample);
        while (samples.peekFirst()[0] < epochMillis - windowMillis) {
            samples.removeFirst();
        }
        return samples.peekFirst();
    }

    /** The smallest value {@code index} (0 for the first value) among {@code key}'s samples in the window. */
    public synchronized double min(String key, int index) {
        double min = Double.NaN;
        for (double[] sample : series.getOrDefault(key, new ArrayDeque<>())) {
            if (Double.isNaN(min) || sample[index + 1] < min) {
                min = sample[index + 1];
            }
        }
        return min;
    }
}
