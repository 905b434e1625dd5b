package dev.resilience.health;

import dev.resilience.core.HealthStatus;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.SlidingSamples;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ready-made {@link AlertRule}s for the usual table. The same rules, with the same names, thresholds,
 * {@code for} durations and severities, ship as a Prometheus alerting rules file on the classpath at
 * {@value #PROMETHEUS_RULES} for teams that alert with Prometheus and Alertmanager instead.
 *
 * <table>
 * <caption>Default rules</caption>
 * <tr><th>name</th><th>condition</th><th>for</th><th>severity</th></tr>
 * <tr><td>ServiceDown</td><td>overall health DOWN</td><td>2 min</td><td>critical</td></tr>
 * <tr><td>DatabaseDown</td><td>the database check DOWN</td><td>1 min</td><td>critical</td></tr>
 * <tr><td>DiskAlmostFull</td><td>disk over 95 % used</td><td>0</td><td>error</td></tr>
 * <tr><td>HeapUsageHigh</td><td>heap over 90 % of max</td><td>5 min</td><td>warning</td></tr>
 * <tr><td>HighErrorRate</td><td>over 5 % of the requests of the last 5 minutes answered 5xx</td><td>5 min</td><td>error</td></tr>
 * <tr><td>HighLatencyP95</td><td>P95 of a route (all its outcomes, last 5 minutes) over the threshold (1 s)</td><td>5 min</td><td>warning</td></tr>
 * </table>
 *
 * <p>The request rules read the window gauges of {@link RequestMetrics} (registered under the default
 * name {@code http.server.requests} in the monitor's registry), never the time between two rounds.
 * Every rule returned is immutable and thread-safe.
 */
public final class AlertRules {

    /** The classpath location of the Prometheus alerting rules file. */
    public static final String PROMETHEUS_RULES = "/dev/resilience/health/prometheus-alerts.yml";
    private static final String REQUESTS = "http.server.requests";

    private AlertRules() {
    }

    /**
     * {@return every rule of the table above with its documented threshold: ServiceDown, DatabaseDown,
     * DiskAlmostFull, HeapUsageHigh, HighErrorRate and HighLatencyP95}
     *
     * @param databaseCheck the name of the database check in the health registry
     * @param disk a path on the disk to watch (the data or backup directory)
     */
    public static List<AlertRule> defaults(String databaseCheck, Path disk) {
        return List.of(serviceDown(), checkDown("DatabaseDown", databaseCheck, Duration.ofMinutes(1)),
                diskUsageAbove(disk, 0.95), heapUsageAbove(0.90), errorRateAbove(0.05),
                p95LatencyAbove(Duration.ofSeconds(1)));
    }

    /**
     * ServiceDown: the overall health is DOWN for 2 minutes; critical.
     *
     * @return the rule, named {@code ServiceDown}
     */
    public static AlertRule serviceDown() {
        return AlertRule.builder("ServiceDown")
                .condition(context -> context.health().status() == HealthStatus.DOWN)
                .forDuration(Duration.ofMinutes(2)).severity(Severity.CRITICAL)
                .summary("service health is DOWN").build();
    }

    /**
     * {@return a rule of this name that holds while the named check is DOWN; critical}
     *
     * @param ruleName the rule's name, unique within a monitor
     * @param check the name the check is registered under in the {@link HealthRegistry}
     * @param forDuration how long the check must stay DOWN before the alert fires
     */
    public static AlertRule checkDown(String ruleName, String check, Duration forDuration) {
        Objects.requireNonNull(check, "check");
        return AlertRule.builder(ruleName)
                .condition(context -> context.health().checks().stream()
                        .anyMatch(c -> c.name().equals(check) && c.status() == HealthStatus.DOWN))
                .forDuration(forDuration).severity(Severity.CRITICAL)
                .summary("health check " + check + " is DOWN").build();
    }

    /**
     * DiskAlmostFull: the file store of {@code path} is more than {@code usedRatio} full; error.
     *
     * @param path a path on the file store to watch
     * @param usedRatio the used share of the store, from 0 to 1, above which the alert fires
     * @return the rule, named {@code DiskAlmostFull}
     * @throws IllegalArgumentException if {@code usedRatio} is not in [0, 1]
     */
    public static AlertRule diskUsageAbove(Path path, double usedRatio) {
        Objects.requireNonNull(path, "path");
        Arguments.ratio("usedRatio", usedRatio);
        return AlertRule.builder("DiskAlmostFull")
                .condition(context -> {
                    try {
                        FileStore store = Files.getFileStore(path);
                        long total = store.getTotalSpace();
                        return total > 0 && 1.0 - (double) store.getUsableSpace() / total > usedRatio;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .severity(Severity.ERROR).threshold(usedRatio)
                .summary("disk of " + path + " is over " + Math.round(usedRatio * 100) + " % used").build();
    }

    /**
     * HeapUsageHigh: heap use is above {@code usedRatio} of the maximum for 5 minutes; warning.
     *
     * @param usedRatio the used share of the maximum heap, from 0 to 1
     * @return the rule
     * @throws IllegalArgumentException if {@code usedRatio} is not in [0, 1]
     */
    public static AlertRule heapUsageAbove(double usedRatio) {
        Arguments.ratio("usedRatio", usedRatio);
        return AlertRule.builder("HeapUsageHigh")
                .condition(context -> {
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
                    return (double) heap.getUsed() / max > usedRatio;
                })
                .forDuration(Duration.ofMinutes(5)).severity(Severity.WARNING).threshold(usedRatio)
                .summary("heap is over " + Math.round(usedRatio * 100) + " % used").build();
    }

    /**
     * HighErrorRate: more than {@code ratio} of all the requests of the last 5 minutes were answered
     * 5xx ({@code http.server.requests.error.ratio} of {@link RequestMetrics}), for 5 minutes; error.
     * Without requests in the window it does not hold.
     *
     * @param ratio the share of requests answered 5xx over the last 5 minutes, from 0 to 1
     * @return the rule
     * @throws IllegalArgumentException if {@code ratio} is not in [0, 1]
     */
    public static AlertRule errorRateAbove(double ratio) {
        Arguments.ratio("ratio", ratio);
        return AlertRule.builder("HighErrorRate")
                .condition(context -> anyGaugeAbove(context.meters().find(REQUESTS + ".error.ratio").gauges(), ratio))
                .forDuration(Duration.ofMinutes(5)).severity(Severity.ERROR).threshold(ratio)
                .summary("over " + ratio * 100 + " % of requests fail with 5xx").build();
    }

    /**
     * HighLatencyP95: the P95 of some route over all its outcomes and the last 5 minutes
     * ({@code http.server.requests.latency{quantile="0.95"}} of {@link RequestMetrics}, which must
     * publish 0.95, as it does by default) is above {@code threshold}, for 5 minutes; warning.
     *
     * @param threshold the 95th percentile of request durations above which the alert fires
     * @return the rule
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    public static AlertRule p95LatencyAbove(Duration threshold) {
        Arguments.positive("threshold", threshold);
        double seconds = threshold.toNanos() / 1e9;
        return AlertRule.builder("HighLatencyP95")
                .condition(context -> anyGaugeAbove(
                        context.meters().find(REQUESTS + ".latency").tag("quantile", "0.95").gauges(), seconds))
                .forDuration(Duration.ofMinutes(5)).severity(Severity.WARNING).threshold(seconds)
                .summary("P95 latency over " + threshold.toMillis() + " ms").build();
    }

    /**
     * The two rules for a queue of resilience-queue: the dead letter queue grew by 50 tasks within an
     * hour, and more than 10 % of a task type's attempts of the last 5 minutes failed, for 10 minutes.
     *
     * @return the queue rules with their documented thresholds, in a new list
     */
    public static List<AlertRule> queueDefaults() {
        return List.of(queueDeadLettersGrowing(50, Duration.ofHours(1)), queueFailureRateAbove(0.10));
    }

    /**
     * QueueDeadLettersGrowing: the dead letter queue of some queue ({@code resilience.queue.dead}, tag {@code queue},
     * from resilience-queue's {@code QueueMetrics}) holds at least {@code items} more tasks than at its lowest point
     * within {@code window}; warning, at once. The gauge counts the whole queue's dead tasks (every instance's). The
     * rule remembers the samples of its own rounds, so it sees growth from the monitor's start on; an unreadable gauge
     * (NaN, the database is down) is skipped.
     *
     * @param items how many dead letters may be added within the window, at least 1
     * @param window the period the growth is measured over
     * @return the rule
     * @throws IllegalArgumentException if {@code items} is not positive or {@code window} not positive
     */
    public static AlertRule queueDeadLettersGrowing(int items, Duration window) {
        Arguments.atLeast("items", items, 1);
        Arguments.positive("window", window);
        SlidingSamples samples = new SlidingSamples(window.toMillis());
        return AlertRule.builder("QueueDeadLettersGrowing")
                .condition(context -> {
                    boolean met = false;
                    for (Gauge gauge : context.meters().find("resilience.queue.dead").gauges()) {
                        double dead = gauge.value();
                        if (Double.isNaN(dead)) {
                            continue;
                        }
                        String queue = String.valueOf(gauge.getId().getTag("queue"));
                        samples.addAndGetOldest(queue, context.now().toEpochMilli(), dead);
                        met |= dead - samples.min(queue, 0) >= items;
                    }
                    return met;
                })
                .severity(Severity.WARNING).threshold(items)
                .summary("dead letter queue grew by " + items + " or more tasks within " + window).build();
    }

    /**
     * QueueFailureRateHigh: more than {@code ratio} of the attempts of some task type in the last 5 minutes did not
     * succeed (retried, dead-lettered or lease lost; {@code resilience.queue.attempts} by {@code queue}, {@code type}
     * and {@code outcome}), for 10 minutes; error. Counts this instance's attempts; without attempts in the window it
     * does not hold.
     *
     * @param ratio the share of failed deliveries, from 0 to 1
     * @return the rule
     * @throws IllegalArgumentException if {@code ratio} is not in [0, 1]
     */
    public static AlertRule queueFailureRateAbove(double ratio) {
        Arguments.ratio("ratio", ratio);
        SlidingSamples samples = new SlidingSamples(Duration.ofMinutes(5).toMillis());
        return AlertRule.builder("QueueFailureRateHigh")
                .condition(context -> {
                    Map<String, double[]> totals = new HashMap<>();   // queue/type: all attempts, failed attempts
                    for (Counter counter : context.meters().find("resilience.queue.attempts").counters()) {
                        Meter.Id id = counter.getId();
                        double[] sums = totals.computeIfAbsent(id.getTag("queue") + "/" + id.getTag("type"),
                                k -> new double[2]);
                        sums[0] += counter.count();
                        if (!"succeeded".equals(id.getTag("outcome"))) {
                            sums[1] += counter.count();
                        }
                    }
                    boolean met = false;
                    for (Map.Entry<String, double[]> e : totals.entrySet()) {
                        double[] now = e.getValue();
                        double[] oldest = samples.addAndGetOldest(e.getKey(), context.now().toEpochMilli(), now);
                        double attempts = now[0] - oldest[1];
                        met |= attempts > 0 && (now[1] - oldest[2]) / attempts > ratio;
                    }
                    return met;
                })
                .forDuration(Duration.ofMinutes(10)).severity(Severity.ERROR).threshold(ratio)
                .summary("over " + ratio * 100 + " % of queue task attempts fail").build();
    }

    /** NaN (no requests in the window) never exceeds a threshold. */
    private static boolean anyGaugeAbove(Collection<Gauge> gauges, double threshold) {
        for (Gauge gauge : gauges) {
            if (gauge.value() > threshold) {
                return true;
            }
        }
        return false;
    }
}
