package dev.resilience.queue;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The queue's {@link HealthCheck} (from {@link TaskQueue#asHealthCheck(Duration)}): DOWN when the stats
 * query fails (database unreachable), DEGRADED when the oldest task ready to run has waited longer than
 * the threshold, UP otherwise; details {@code ready}, {@code dead} and {@code oldestReadySeconds}.
 * Thread-safe.
 */
final class QueueHealthCheck implements HealthCheck {

    private final Callable<QueueStats> stats;
    private final Duration maxReadyAge;

    QueueHealthCheck(Callable<QueueStats> stats, Duration maxReadyAge) {
        this.stats = stats;
        this.maxReadyAge = Arguments.positive("maxReadyAge", maxReadyAge);
    }

    @Override
    public HealthCheckResult check() {
        QueueStats snapshot;
        try {
            snapshot = stats.call();
        } catch (Exception e) {
            return HealthCheckResult.down("queue database unreachable: " + e.getMessage());
        }
        Duration oldest = snapshot.oldestReady();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ready", snapshot.ready());
        details.put("dead", snapshot.dead());
        details.put("oldestReadySeconds", oldest.toSeconds());
        HealthCheckResult result = oldest.compareTo(maxReadyAge) > 0
                ? HealthCheckResult.degraded("oldest ready task has waited " + oldest.toSeconds() + " s, more than "
                        + maxReadyAge.toSeconds() + " s")
                : HealthCheckResult.up();
        return result.withDetails(details);
    }
}
