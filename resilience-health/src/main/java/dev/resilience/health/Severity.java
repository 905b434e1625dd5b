package dev.resilience.health;

/** How urgent an {@link Alert} is; the log notifier logs WARNING at WARN and the others at ERROR. */
public enum Severity {
    /** Look at it during working hours. */
    WARNING,
    /** Look at it today: users are affected. */
    ERROR,
    /** Wake someone up: the service is down or about to lose data. */
    CRITICAL
}
