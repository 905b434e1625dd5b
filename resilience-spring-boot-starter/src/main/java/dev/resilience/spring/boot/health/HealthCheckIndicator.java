package dev.resilience.spring.boot.health;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A core {@link HealthCheck} as an Actuator {@link HealthIndicator}: UP is {@code UP}, DOWN is {@code DOWN},
 * and DEGRADED, which Actuator lacks, is {@code UP} with {@code "degraded": true} in the details (the service
 * still serves; the same mapping as resilience-health's Actuator format). A check that throws is
 * {@code DOWN}. Thread-safe if the check is.
 */
public final class HealthCheckIndicator implements HealthIndicator {
    private final HealthCheck check;

    /**
     * @param check the check to run on each health request
     */
    public HealthCheckIndicator(HealthCheck check) {
        this.check = check;
    }

    @Override
    public Health health() {
        HealthCheckResult result;
        try {
            result = check.check();
        } catch (Exception e) {
            return Health.down(e).build();
        }
        Health.Builder health = switch (result.status()) {
            case UP -> Health.up();
            case DEGRADED -> Health.up().withDetail("degraded", true);
            case DOWN -> Health.down();
        };
        if (result.message() != null && !result.message().isEmpty()) {
            health.withDetail("message", result.message());
        }
        return health.withDetails(result.details()).build();
    }
}
