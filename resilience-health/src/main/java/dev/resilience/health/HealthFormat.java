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
     * Spring Boot Actuator's shape ({@code application/json}), with Actuator's own statuses only:
     * {@code status} UP, DOWN or OUT_OF_SERVICE (503, while {@link HealthRegistry#markNotReady(String)}
     * is in effect and no critical check is DOWN); DEGRADED, which Actuator does not know, is reported
     * as UP (the service still serves, HTTP 200) and the detailed report adds {@code "degraded": true}
     * to the component's details. Every health endpoint lists {@code components} (each check's
     * {@code status}; with {@code details} in the detailed report), and {@code /health} also lists
     * {@code groups}, as Actuator does. For tools that already parse Actuator.
     */
    ACTUATOR
}
