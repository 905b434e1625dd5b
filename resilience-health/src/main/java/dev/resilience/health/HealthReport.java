package dev.resilience.health;

import dev.resilience.core.HealthStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The aggregated health of a set of checks (all of them, or one group).
 *
 * <p>The status is the worst over the checks, where a DOWN non-critical check counts as DEGRADED.
 * The score is 0-100: each check earns 100 points when UP, 50 when DEGRADED and 0 when DOWN; a
 * critical check weighs 2, a non-critical one 1; the score is the weighted mean, rounded, and capped
 * at 49 when the status is DOWN, so that a score of 50 or more always means "serving". No checks
 * gives UP and 100.
 *
 * <p>A report can also be {@linkplain #isOutOfService() out of service}: the instance was taken out
 * of rotation on purpose ({@link HealthRegistry#markNotReady(String)}: graceful shutdown, warm-up,
 * maintenance) whatever its checks say. Its status stays the checks' status, its score is capped at
 * 49 and it is not {@linkplain #isServing() serving}, so the endpoints answer 503.
 *
 * <p>Immutable and thread-safe.
 */
public final class HealthReport {

    private final HealthStatus status;
    private final int score;
    private final List<CheckReport> checks;
    private final Instant timestamp;
    /** The reason it is out of service, or null when it is not. */
    private final @Nullable String outOfService;

    private HealthReport(HealthStatus status, int score, List<CheckReport> checks, Instant timestamp,
            @Nullable String outOfService) {
        this.status = status;
        this.score = score;
        this.checks = checks;
        this.timestamp = timestamp;
        this.outOfService = outOfService;
    }

    /**
     * Aggregates {@code checks} with the rules described on this class.
     *
     * @param checks the checks' reports, in the order to show them
     * @param timestamp when the report was made
     * @return the report, in service
     */
    public static HealthReport of(List<CheckReport> checks, Instant timestamp) {
        Objects.requireNonNull(timestamp, "timestamp");
        HealthStatus status = HealthStatus.UP;
        long points = 0;
        long weights = 0;
        for (CheckReport check : checks) {
            HealthStatus effective = check.status() == HealthStatus.DOWN && !check.critical()
                    ? HealthStatus.DEGRADED : check.status();
            status = status.worst(effective);
            int weight = check.critical() ? 2 : 1;
            weights += weight;
            points += (long) weight * pointsOf(check.status());
        }
        int score = weights == 0 ? 100 : (int) Math.round((double) points / weights);
        if (status == HealthStatus.DOWN) {
            score = Math.min(score, 49);
        }
        return new HealthReport(status, score, List.copyOf(checks), timestamp, null);
    }

    /**
     * {@return a copy of this report taken out of service for {@code reason}; its score is capped at 49}
     *
     * @param reason why, shown on the endpoints (such as "shutting down")
     */
    public HealthReport outOfService(String reason) {
        Objects.requireNonNull(reason, "reason");
        return new HealthReport(status, Math.min(score, 49), checks, timestamp, reason);
    }

    private static int pointsOf(HealthStatus status) {
        return switch (status) {
            case UP -> 100;
            case DEGRADED -> 50;
            default -> 0;
        };
    }

    /**
     * The overall status: DOWN when a critical check is DOWN, DEGRADED when any check is not UP, else UP.
     *
     * @return the status
     */
    public HealthStatus status() {
        return status;
    }

    /** {@return the health score, 0-100 (see the class documentation for the formula)} */
    public int score() {
        return score;
    }

    /** {@return whether the instance was taken out of service ({@link HealthRegistry#markNotReady(String)})} */
    public boolean isOutOfService() {
        return outOfService != null;
    }

    /** {@return why the instance is out of service, or null while it is in service} */
    public @Nullable String outOfServiceReason() {
        return outOfService;
    }

    /** {@return whether the instance should get traffic: not DOWN and not out of service (HTTP 200, else 503)} */
    public boolean isServing() {
        return status != HealthStatus.DOWN && outOfService == null;
    }

    /** {@return the checks, in registration order} */
    public List<CheckReport> checks() {
        return checks;
    }

    /** {@return when the report was assembled} */
    public Instant timestamp() {
        return timestamp;
    }

    @Override
    public String toString() {
        return "HealthReport{" + status + (outOfService == null ? "" : ", out of service (" + outOfService + ")")
                + ", score=" + score + ", " + checks + "}";
    }
}
