package dev.resilience.health;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A named alerting rule: a condition, how long it must hold before the alert fires (the {@code for}
 * duration, as in Prometheus), a severity and a summary. {@link AlertRules} holds ready-made ones.
 *
 * <p>Immutable and thread-safe. Defaults: {@code for} 0 (fire on the first round the condition
 * holds), severity {@link Severity#WARNING}, summary = the name.
 */
public final class AlertRule {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final String name;
    private final AlertCondition condition;
    private final Duration forDuration;
    private final Severity severity;
    private final String summary;
    private final double threshold;

    private AlertRule(Builder b, AlertCondition condition) {
        this.name = b.name;
        this.condition = condition;
        this.forDuration = b.forDuration;
        this.severity = b.severity;
        this.summary = b.summary != null ? b.summary : b.name;
        this.threshold = b.threshold;
    }

    /**
     * {@return a builder for a rule of this name}
     *
     * @param name letters, digits and '_', starting with a letter (Prometheus' alert name rules, so
     *     that the same name works in both places)
     * @throws IllegalArgumentException if the name is malformed
     */
    public static Builder builder(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw Arguments.invalid("name", "match " + NAME, "'" + name + "'");
        }
        return new Builder(name);
    }

    /**
     * The rule's name, unique within a monitor; alert ids start with it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What must hold for the alert to become pending.
     *
     * @return the condition
     */
    public AlertCondition condition() {
        return condition;
    }

    /** {@return how long the condition must hold before the alert fires} */
    public Duration forDuration() {
        return forDuration;
    }

    /**
     * How urgent the alert is (default WARNING).
     *
     * @return the severity
     */
    public Severity severity() {
        return severity;
    }

    /**
     * A one-line description for people (default the name).
     *
     * @return the summary
     */
    public String summary() {
        return summary;
    }

    /** {@return the numeric threshold the condition compares against, for documentation; NaN if none} */
    public double threshold() {
        return threshold;
    }

    @Override
    public String toString() {
        return "AlertRule{" + name + ", " + severity + ", for " + forDuration + "}";
    }

    /** Builds an {@link AlertRule}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private @Nullable AlertCondition condition;
        private Duration forDuration = Duration.ZERO;
        private Severity severity = Severity.WARNING;
        private @Nullable String summary;
        private double threshold = Double.NaN;

        private Builder(String name) {
            this.name = name;
        }

        /**
         * The condition; required.
         *
         * @param condition evaluated once per round on the monitor's thread
         * @return this builder
         */
        public Builder condition(AlertCondition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        /**
         * How long the condition must hold before the alert fires. Default 0.
         *
         * @param duration 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder forDuration(Duration duration) {
            Arguments.notNegative("forDuration", duration);
            this.forDuration = duration;
            return this;
        }

        /**
         * How urgent the alert is. Default WARNING.
         *
         * @param severity the severity
         * @return this builder
         */
        public Builder severity(Severity severity) {
            this.severity = Objects.requireNonNull(severity, "severity");
            return this;
        }

        /**
         * A one-line description for people; default the name.
         *
         * @param summary one line, shown in notifications and on {@code /alerts}
         * @return this builder
         */
        public Builder summary(String summary) {
            this.summary = Objects.requireNonNull(summary, "summary");
            return this;
        }

        /**
         * Records the threshold the condition uses, shown in docs and compared with the Prometheus file.
         *
         * @param threshold the value the condition compares against
         * @return this builder
         */
        public Builder threshold(double threshold) {
            if (Double.isNaN(threshold)) {
                throw Arguments.invalid("threshold", "be a number", threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * Builds the rule.
         *
         * @return an immutable rule
         * @throws IllegalArgumentException if no condition was set
         */
        public AlertRule build() {
            AlertCondition required = condition;
            if (required == null) {
                throw new IllegalArgumentException("condition must be set for rule " + name);
            }
            return new AlertRule(this, required);
        }
    }
}
