package dev.resilience.spring.boot.health;

import dev.resilience.core.HealthCheck;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * A set of core {@link HealthCheck}s as one Actuator composite: each check a component by its name. The set
 * is read on every request, so checks that appear later (circuit breakers the registry creates on first
 * use) show up. Once the service is {@linkplain OutOfService out of service} (the shutdown has begun) a
 * component {@value #SHUTDOWN} reports {@code OUT_OF_SERVICE} with the reason, which Actuator's aggregation
 * carries to the contributor unless a check is DOWN. Thread-safe if the supplier is.
 */
public final class HealthChecksContributor implements CompositeHealthContributor {
    /** The component shown while out of service. */
    public static final String SHUTDOWN = "shutdown";
    private final Supplier<Map<String, HealthCheck>> checks;
    private final Supplier<Optional<String>> outOfService;

    /**
     * @param checks the checks by component name, read on every health request
     */
    public HealthChecksContributor(Supplier<Map<String, HealthCheck>> checks) {
        this(checks, Optional::empty);
    }

    /**
     * @param checks       the checks by component name, read on every health request
     * @param outOfService the reason the service is out of service, empty while it serves
     */
    public HealthChecksContributor(Supplier<Map<String, HealthCheck>> checks, Supplier<Optional<String>> outOfService) {
        this.checks = checks;
        this.outOfService = outOfService;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        if (SHUTDOWN.equals(name)) {
            return outOfService.get().map(HealthChecksContributor::outOfService).orElse(null);
        }
        HealthCheck check = checks.get().get(name);
        return check == null ? null : new HealthCheckIndicator(check);
    }

    private static HealthContributor outOfService(String reason) {
        Health health = Health.outOfService().withDetail("reason", reason).build();
        return (HealthIndicator) () -> health;
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        Map<String, HealthContributor> contributors = new LinkedHashMap<>();
        checks.get().forEach((name, check) -> contributors.put(name, new HealthCheckIndicator(check)));
        outOfService.get().ifPresent(reason -> contributors.put(SHUTDOWN, outOfService(reason)));
        return contributors.entrySet().stream()
                .map(e -> NamedContributor.of(e.getKey(), e.getValue()))
                .iterator();
    }
}
