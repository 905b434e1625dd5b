package dev.resilience.health;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One occurrence of an {@link AlertRule}: created PENDING when the condition starts to hold, FIRING
 * once it has held for the rule's {@code for} duration, RESOLVED when it clears or is acknowledged.
 * The next occurrence of the same rule gets a new id.
 *
 * <p>Immutable and thread-safe: the monitor replaces the snapshot on each transition.
 */
public final class Alert {

    private final String id;
    private final String rule;
    private final Severity severity;
    private final String summary;
    private final AlertState state;
    private final Instant activeSince;
    private final @Nullable Instant firedAt;
    private final @Nullable Instant resolvedAt;
    private final boolean acknowledged;

    Alert(String id, String rule, Severity severity, String summary, AlertState state, Instant activeSince,
            @Nullable Instant firedAt, @Nullable Instant resolvedAt, boolean acknowledged) {
        this.id = id;
        this.rule = rule;
        this.severity = severity;
        this.summary = summary;
        this.state = state;
        this.activeSince = activeSince;
        this.firedAt = firedAt;
        this.resolvedAt = resolvedAt;
        this.acknowledged = acknowledged;
    }

    Alert firing(Instant at) {
        return new Alert(id, rule, severity, summary, AlertState.FIRING, activeSince, at, null, false);
    }

    Alert resolved(Instant at, boolean byAcknowledgement) {
        return new Alert(id, rule, severity, summary, AlertState.RESOLVED, activeSince, firedAt, at, byAcknowledgement);
    }

    /**
     * Unique within the monitor: the rule name, a dash and a sequence number.
     *
     * @return the id, such as {@code ServiceDown-3}
     */
    public String id() {
        return id;
    }

    /** {@return the name of the rule that raised it} */
    public String rule() {
        return rule;
    }

    /**
     * The severity of the rule that raised it.
     *
     * @return the severity
     */
    public Severity severity() {
        return severity;
    }

    /**
     * The rule's one-line description, for people.
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /**
     * PENDING while the condition holds for less than the rule's {@code for} duration, then FIRING, then RESOLVED.
     *
     * @return the state when this snapshot was taken
     */
    public AlertState state() {
        return state;
    }

    /** {@return when the condition started to hold} */
    public Instant activeSince() {
        return activeSince;
    }

    /** {@return when it started firing; null while PENDING or if resolved before firing} */
    public @Nullable Instant firedAt() {
        return firedAt;
    }

    /** {@return when it was resolved; null unless RESOLVED} */
    public @Nullable Instant resolvedAt() {
        return resolvedAt;
    }

    /** {@return true when an operator resolved it through {@code POST /alerts/{id}/resolve}} */
    public boolean acknowledged() {
        return acknowledged;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Alert a)) {
            return false;
        }
        return id.equals(a.id) && state == a.state && acknowledged == a.acknowledged
                && Objects.equals(firedAt, a.firedAt) && Objects.equals(resolvedAt, a.resolvedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, state);
    }

    @Override
    public String toString() {
        return "Alert{" + id + ", " + severity + ", " + state + ", " + summary + "}";
    }
}
