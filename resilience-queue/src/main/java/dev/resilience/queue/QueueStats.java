package dev.resilience.queue;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of the queue, read in one query: per type, tasks ready to run now, running, and dead,
 * and the age of the oldest task ready to run now (how long it has been waiting since its run-at).
 *
 * @param byType per type; types without tasks are absent
 */
public record QueueStats(Map<String, TypeStats> byType) {

    /**
     * The counts of one task type.
     *
     * @param ready        tasks ready to run now (run-at reached)
     * @param running      tasks leased to a worker
     * @param dead         tasks in the dead letter queue
     * @param oldestReady  how long the oldest ready task has waited; zero when none
     */
    public record TypeStats(long ready, long running, long dead, Duration oldestReady) {
    }

    /**
     * Tasks ready to run now, over all types.
     *
     * @return the sum of {@link TypeStats#ready()}
     */
    public long ready() {
        return byType.values().stream().mapToLong(TypeStats::ready).sum();
    }

    /**
     * Tasks in the dead letter queue, over all types.
     *
     * @return the sum of {@link TypeStats#dead()}
     */
    public long dead() {
        return byType.values().stream().mapToLong(TypeStats::dead).sum();
    }

    /**
     * How long the oldest ready task of any type has waited.
     *
     * @return the longest {@link TypeStats#oldestReady()}; zero when no task is ready
     */
    public Duration oldestReady() {
        return byType.values().stream().map(TypeStats::oldestReady).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
