package dev.resilience.health;

import dev.resilience.core.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The latest known result of one registered check, as served by the health endpoints.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckReport {

    private final String name;
    private final HealthStatus status;
    private final @Nullable String message;
    private final Map<String, Object> details;
    private final Duration duration;
    private final Instant checkedAt;
    private final Instant lastChange;
    private final boolean critical;
    private final Set<String> groups;

    /**
     * Creates a report; the registry does this, tests and custom endpoints may too.
     *
     * @param name the check's registered name
     * @param status the check's status
     * @param message why it is not UP, or null
     * @param details extra values shown on the detailed endpoint; copied
     * @param duration how long the run took
     * @param checkedAt when the run finished
     * @param lastChange when the status last changed
     * @param critical whether a DOWN status makes the overall status DOWN
     * @param groups the groups the check belongs to; copied
     */
    public CheckReport(String name, HealthStatus status, @Nullable String message, Map<String, Object> details,
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

    /**
     * The name the check is registered under.
     *
     * @return the check's name
     */
    public String name() {
        return name;
    }

    /**
     * The status of the last run; DOWN for a run that threw or timed out.
     *
     * @return the check's status
     */
    public HealthStatus status() {
        return status;
    }

    /** {@return why the check is not UP (for a check that threw: the exception's message); may be null} */
    public @Nullable String message() {
        return message;
    }

    /**
     * Extra values the check reported, such as free bytes; shown only on the detailed endpoint.
     *
     * @return an immutable map, empty when none
     */
    public Map<String, Object> details() {
        return details;
    }

    /** {@return how long the last run took (the timeout for a run that timed out)} */
    public Duration duration() {
        return duration;
    }

    /** {@return when the last run finished} */
    public Instant checkedAt() {
        return checkedAt;
    }

    /** {@return when the status last changed (the first run counts as a change)} */
    public Instant lastChange() {
        return lastChange;
    }

    /**
     * Whether a DOWN status of this check makes the overall status DOWN (else DEGRADED).
     *
     * @return true for a critical check
     */
    public boolean critical() {
        return critical;
    }

    /**
     * The groups the check is in, besides the overall report (such as {@code liveness}, {@code readiness}).
     *
     * @return an immutable set, empty when none
     */
    public Set<String> groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "CheckReport{" + name + "=" + status + (message == null ? "" : " (" + message + ")") + "}";
    }
}
