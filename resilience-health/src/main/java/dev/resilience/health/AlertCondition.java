package dev.resilience.health;

/**
 * The condition of an {@link AlertRule}, evaluated on every round of the {@link AlertMonitor}.
 * Implementations must be quick (they read meters and cached health, they never do I/O) and
 * thread-safe; a condition that throws is treated as not met and logged.
 */
@FunctionalInterface
public interface AlertCondition {

    /**
     * {@return whether the alerting situation holds now}
     *
     * @param context the meters, the health report and the time of this round
     */
    boolean isMet(AlertContext context);
}
