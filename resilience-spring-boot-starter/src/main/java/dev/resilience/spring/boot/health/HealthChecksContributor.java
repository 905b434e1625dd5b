package dev.resilience.spring.boot.health;

import dev.resilience.core.HealthCheck;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * A set of core {@link HealthCheck}s as one Actuator composite: each check a component by its name. The set
 * is read on every request, so checks that appear later (circuit breakers the registry creates on first
 * use) show up. Thread-safe if the supplier is.
 */
public final class HealthChecksContributor implements CompositeHealthContributor {
    private final Supplier<Map<String, HealthCheck>> checks;

    /**
     * @param checks the checks by component name, read on every health request
     */
    public HealthChecksContributor(Supplier<Map<String, HealthCheck>> checks) {
        this.checks = checks;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        HealthCheck check = checks.get().get(name);
        return check == null ? null : new HealthCheckIndicator(check);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        Map<String, HealthContributor> contributors = new LinkedHashMap<>();
        checks.get().forEach((name, check) -> contributors.put(name, new HealthCheckIndicator(check)));
        return contributors.entrySet().stream()
                .map(e -> NamedContributor.of(e.getKey(), e.getValue()))
                .iterator();
    }
}
