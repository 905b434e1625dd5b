package dev.resilience.health;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.internal.Arguments;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Ready-made checks of the JVM and the host. The checks of the pool, the rate limiter and the backup
 * module come from those modules through the same {@link HealthCheck} SPI.
 *
 * <p>Every check returned is stateless and thread-safe.
 */
public final class HealthChecks {

    /**
     * The detail key for a check's main measurement; the {@code application/health+json} format shows
     * it as the check's {@code observedValue}, as the draft specifies. Custom checks may set it too.
     */
    public static final String OBSERVED_VALUE = "observedValue";
    /** The detail key for the unit of {@link #OBSERVED_VALUE}, shown as {@code observedUnit}. */
    public static final String OBSERVED_UNIT = "observedUnit";

    private HealthChecks() {
    }

    /**
     * {@link #diskSpace(Path, double, double)} warning under 20 % free and DOWN under 5 % free.
     *
     * @param path a path on the file store to watch
     * @return the check
     */
    public static HealthCheck diskSpace(Path path) {
        return diskSpace(path, 0.20, 0.05);
    }

    /**
     * The usable space of the file store holding {@code path}: DEGRADED under {@code warnFreeRatio}
     * free, DOWN under {@code downFreeRatio} free. Details: {@code path}, {@code freeBytes},
     * {@code totalBytes}, {@code freeRatio}.
     *
     * @param path a path on the file store to watch
     * @param warnFreeRatio the free share, from 0 to 1, under which the check is DEGRADED
     * @param downFreeRatio the free share, from 0 to 1, under which it is DOWN
     * @return the check
     * @throws IllegalArgumentException if the ratios are not in [0, 1] or warn is below down
     */
    public static HealthCheck diskSpace(Path path, double warnFreeRatio, double downFreeRatio) {
        Objects.requireNonNull(path, "path");
        Arguments.ratio("warnFreeRatio", warnFreeRatio);
        Arguments.ratio("downFreeRatio", downFreeRatio);
        if (warnFreeRatio < downFreeRatio) {
            throw new IllegalArgumentException("warnFreeRatio must not be below downFreeRatio: "
                    + warnFreeRatio + " < " + downFreeRatio);
        }
        return () -> {
            FileStore store = Files.getFileStore(path);
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            return diskResult(path, free, total, warnFreeRatio, downFreeRatio);
        };
    }

    static HealthCheckResult diskResult(Path path, long free, long total, double warnFreeRatio, double downFreeRatio)
            throws IOException {
        if (total <= 0) {
            throw new IOException("file store of " + path + " reports no total space");
        }
        double ratio = (double) free / total;
        HealthCheckResult result;
        String percent = percent(ratio) + " free on " + path;
        if (ratio < downFreeRatio) {
            result = HealthCheckResult.down(percent);
        } else if (ratio < warnFreeRatio) {
            result = HealthCheckResult.degraded(percent);
        } else {
            result = HealthCheckResult.up();
        }
        return result.withDetail("path", path.toString()).withDetail("freeBytes", free)
                .withDetail("totalBytes", total).withDetail("freeRatio", ratio)
                .withDetail(OBSERVED_VALUE, ratio * 100).withDetail(OBSERVED_UNIT, "percent free");
    }

    /**
     * Heap use against the maximum heap: DEGRADED above {@code warnUsedRatio} (0.90 by
     * {@link #heap()}), DOWN above {@code downUsedRatio} (0.98). Details: {@code usedBytes},
     * {@code maxBytes}, {@code usedRatio}. Heap use alone is noisy (it includes garbage not yet
     * collected); prefer the heap alert rule, which requires the level to last.
     *
     * @param warnUsedRatio the used share of the maximum heap, from 0 to 1, above which the check is DEGRADED
     * @param downUsedRatio the used share above which it is DOWN
     * @return the check
     * @throws IllegalArgumentException if the ratios are not in [0, 1] or warn is above down
     */
    public static HealthCheck heap(double warnUsedRatio, double downUsedRatio) {
        Arguments.ratio("warnUsedRatio", warnUsedRatio);
        Arguments.ratio("downUsedRatio", downUsedRatio);
        if (warnUsedRatio > downUsedRatio) {
            throw new IllegalArgumentException("warnUsedRatio must not be above downUsedRatio: "
                    + warnUsedRatio + " > " + downUsedRatio);
        }
        return () -> {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
            double ratio = (double) heap.getUsed() / max;
            String text = percent(ratio) + " of heap used";
            HealthCheckResult result = ratio > downUsedRatio ? HealthCheckResult.down(text)
                    : ratio > warnUsedRatio ? HealthCheckResult.degraded(text) : HealthCheckResult.up();
            return result.withDetail("usedBytes", heap.getUsed()).withDetail("maxBytes", max)
                    .withDetail("usedRatio", ratio)
                    .withDetail(OBSERVED_VALUE, ratio * 100).withDetail(OBSERVED_UNIT, "percent used");
        };
    }

    /**
     * {@link #heap(double, double)} with 0.90 and 0.98.
     *
     * @return the check
     */
    public static HealthCheck heap() {
        return heap(0.90, 0.98);
    }

    /**
     * DOWN when the JVM has threads deadlocked on monitors or ownable synchronizers; the names of up to
     * ten of them are in the {@code threads} detail. A deadlock never resolves itself, so this check
     * belongs in the liveness group.
     *
     * @return the check
     */
    public static HealthCheck deadlockedThreads() {
        return () -> {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] ids = threads.findDeadlockedThreads();
            if (ids == null || ids.length == 0) {
                return HealthCheckResult.up();
            }
            List<String> names = new ArrayList<>();
            for (ThreadInfo info : threads.getThreadInfo(ids)) {
                if (info != null && names.size() < 10) {
                    names.add(info.getThreadName());
                }
            }
            return HealthCheckResult.down(ids.length + " deadlocked threads").withDetail("threads", names);
        };
    }

    /**
     * The system load average of the last minute per available processor: DEGRADED above
     * {@code warnLoadPerCpu} (for example 2.0). UP with a note on platforms that do not report a load
     * average (Windows). Details: {@code loadAverage}, {@code processors}.
     *
     * @param warnLoadPerCpu the one-minute load average per CPU above which the check is DEGRADED
     * @return the check
     * @throws IllegalArgumentException if {@code warnLoadPerCpu} is not positive
     */
    public static HealthCheck systemLoad(double warnLoadPerCpu) {
        if (!(warnLoadPerCpu > 0)) {
            throw new IllegalArgumentException("warnLoadPerCpu must be positive: " + warnLoadPerCpu);
        }
        return () -> {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            double load = os.getSystemLoadAverage();
            int cpus = os.getAvailableProcessors();
            if (load < 0) {
                return HealthCheckResult.up().withDetail("loadAverage", "unavailable");
            }
            double perCpu = load / cpus;
            HealthCheckResult result = perCpu > warnLoadPerCpu
                    ? HealthCheckResult.degraded(String.format(Locale.ROOT, "load %.2f per processor", perCpu))
                    : HealthCheckResult.up();
            return result.withDetail("loadAverage", load).withDetail("processors", cpus)
                    .withDetail(OBSERVED_VALUE, perCpu).withDetail(OBSERVED_UNIT, "load per processor");
        };
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

}
