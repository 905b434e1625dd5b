package dev.resilience.health;

/** The JSON shape of the health endpoints. */
public enum HealthFormat {
    /**
     * {@code application/health+json} (draft-inadarei-api-health-check): {@code status} pass, warn or
     * fail, and in the detailed report {@code checks} mapping each check name to an array of one
     * object with {@code componentId}, {@code componentType}, {@code status}, {@code observedValue} and
     * {@code observedUnit} (from the details {@link HealthChecks#OBSERVED_VALUE} and
     * {@link HealthChecks#OBSERVED_UNIT}), {@code time}, {@code output} and the extension
     * fields {@code critical}, {@code groups}, {@code durationMs}, {@code lastChange}, {@code details}.
     * The default.
     */
    HEALTH_JSON,
    /**
     * Spring Boot Actuator's shape ({@code application/json}): {@code status} UP, DEGRADED (a custom
     * status, as Actuator allows) or DOWN, and in the detailed report {@code components} mapping each
     * check to {@code status} and {@code details}; for tools that already parse Actuator.
     */
    ACTUATOR
}
