package dev.resilience.core;

/**
 * The status a {@link HealthCheck} reports. Ordered from best to worst, so
 * {@link #worst(HealthStatus)} aggregates several results.
 */
public enum HealthStatus {
    /** Working normally. */
    UP,
    /** Working, with reduced capacity or on a fallback (for example rate limits served from memory). */
    DEGRADED,
    /** Not working. */
    DOWN;

    /**
     * The worse of this status and {@code other}.
     *
     * @param other another status
     * @return DOWN over DEGRADED over UP
     */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
