package dev.resilience.health;

/** Where an {@link Alert} is in its lifecycle: PENDING, then FIRING, then RESOLVED. */
public enum AlertState {
    /** The condition holds but not yet for the rule's {@code for} duration; nobody is notified. */
    PENDING,
    /** The condition has held for the {@code for} duration; notifiers were told once. */
    FIRING,
    /** The condition cleared, or someone acknowledged the alert; notifiers were told once. */
    RESOLVED
}
