package dev.resilience.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link HealthCheck} run: a status, an optional message, details (insertion
 * ordered, values that serialise to JSON: strings, numbers, booleans, nested maps or lists) and how
 * long the check took.
 *
 * <p>Immutable and thread-safe; the {@code with...} methods return a copy.
 */
public final class HealthCheckResult {

    private final HealthStatus status;
    private final @Nullable String message;
    private final Map<String, Object> details;
    private final Duration duration;

    private HealthCheckResult(HealthStatus status, @Nullable String message, Map<String, Object> details, Duration duration) {
        this.status = Objects.requireNonNull(status, "status");
        this.message = message;
        this.details = details;
        this.duration = Objects.requireNonNull(duration, "duration");
    }

    /** {@return an UP result without message} */
    public static HealthCheckResult up() {
        return new HealthCheckResult(HealthStatus.UP, null, Map.of(), Duration.ZERO);
    }

    /**
     * A DEGRADED result with a message saying why.
     *
     * @param message why, shown to operators
     * @return the result
     */
    public static HealthCheckResult degraded(String message) {
        return new HealthCheckResult(HealthStatus.DEGRADED, message, Map.of(), Duration.ZERO);
    }

    /**
     * A DOWN result with a message saying why.
     *
     * @param message why, shown to operators
     * @return the result
     */
    public static HealthCheckResult down(String message) {
        return new HealthCheckResult(HealthStatus.DOWN, message, Map.of(), Duration.ZERO);
    }

    /**
     * A result of the given status.
     *
     * @param status the status
     * @param message why, or null
     * @return the result
     */
    public static HealthCheckResult of(HealthStatus status, @Nullable String message) {
        return new HealthCheckResult(status, message, Map.of(), Duration.ZERO);
    }

    /**
     * A copy with one more detail (replacing a detail of the same key).
     *
     * @param key the detail name
     * @param value a JSON-friendly value
     * @return the copy
     */
    public HealthCheckResult withDetail(String key, Object value) {
        Objects.requireNonNull(key, "key");
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(key, value);
        return new HealthCheckResult(status, message, Collections.unmodifiableMap(copy), duration);
    }

    /**
     * A copy with these details added.
     *
     * @param more the details to add
     * @return the copy
     */
    public HealthCheckResult withDetails(Map<String, ?> more) {
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.putAll(more);
        return new HealthCheckResult(status, message, Collections.unmodifiableMap(copy), duration);
    }

    /**
     * A copy that records how long the check took.
     *
     * @param took how long the check ran
     * @return the copy
     */
    public HealthCheckResult withDuration(Duration took) {
        return new HealthCheckResult(status, message, details, took);
    }

    /** {@return UP, DEGRADED or DOWN} */
    public HealthStatus status() {
        return status;
    }

    /** {@return why the check is not UP, or a short note; null when there is nothing to say} */
    public @Nullable String message() {
        return message;
    }

    /** {@return unmodifiable details in insertion order} */
    public Map<String, Object> details() {
        return details;
    }

    /** {@return how long the check took; zero unless {@link #withDuration} recorded it} */
    public Duration duration() {
        return duration;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HealthCheckResult)) {
            return false;
        }
        HealthCheckResult other = (HealthCheckResult) o;
        return status == other.status && Objects.equals(message, other.message)
                && details.equals(other.details) && duration.equals(other.duration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, message, details, duration);
    }

    @Override
    public String toString() {
        return "HealthCheckResult{" + status + (message == null ? "" : ", " + message)
                + (details.isEmpty() ? "" : ", " + details) + ", " + duration.toMillis() + " ms}";
    }
}
