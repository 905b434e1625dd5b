package dev.resilience.health;

import dev.resilience.core.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The latest known result of one registered check, as served by the health endpoints.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckReport {

    private final String name;
    private final HealthStatus status;
    private final String message;
    private final Map<String, Object> details;
    private final Duration duration;
    private final Instant checkedAt;
    private final Instant lastChange;
    private final boolean critical;
    private final Set<String> groups;

    /** Creates a report; the registry does this, tests and custom endpoints may too. */
    public CheckReport(String name, HealthStatus status, String message, Map<String, Object> details,
            Duration duration, Instant checkedAt, Instant lastChange, boolean critical, Set<String> groups) {
        this.name = Objects.requireNonNull(name, "name");
        this.status = Objects.requireNonNull(status, "status");
        this.message = message;
        this.details = Map.copyOf(details);
        this.duration = Objects.requireNonNull(duration, "duration");
        this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
        this.lastChange = Objects.requireNonNull(lastChange, "lastChange");
        this.critical = critical;
        this.groups = Set.copyOf(groups);
    }

    public String name() {
        return name;
    }

    public HealthStatus status() {
        return status;
    }

    /** Why the check is not UP (for a check that threw: the exception's message); may be null. */
    public String message() {
        return message;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** How long the last run took (the timeout for a run that timed out). */
    public Duration duration() {
        return duration;
    }

    /** When the last run finished. */
    public Instant checkedAt() {
        return checkedAt;
    }

    /** When the status last changed (the first run counts as a change). */
    public Instant lastChange() {
        return lastChange;
    }

    public boolean critical() {
        return critical;
    }

    public Set<String> groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "CheckReport{" + name + "=" + status + (message == null ? "" : " (" + message + ")") + "}";
    }
}
