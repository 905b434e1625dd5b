package dev.resilience.spring.boot.health;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * With Actuator: every core {@link HealthCheck} bean becomes a component of the {@code resilience} health
 * contributor (by bean name), and every circuit breaker of the {@link ResilienceRegistry} a component of
 * {@code circuitBreakers} (by breaker name). {@code resilience} joins the {@code readiness} group;
 * {@code circuitBreakers} joins no group (an open breaker around one upstream must not take every instance
 * out of rotation at once) but counts in {@code /actuator/health}. Request metrics are Actuator's own
 * ({@code http.server.requests}): the starter registers no request filter of its own, so nothing is counted
 * twice. Off with {@code management.health.resilience.enabled=false} or
 * {@code management.health.circuitbreakers.enabled=false}; each bean yields to one of the same name.
 */
@AutoConfiguration(after = ResilienceCoreAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration",
        beforeName = "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration")
@ConditionalOnClass(HealthContributor.class)
public class ResilienceHealthAutoConfiguration {

    /**
     * The {@code resilience} contributor: the application's core {@code HealthCheck} beans.
     *
     * @param beans        where the checks are looked up, on the first health request
     * @param outOfService  the shutdown's switch, when {@code resilience.shutdown.enabled}
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "resilienceHealthContributor")
    @ConditionalOnEnabledHealthIndicator("resilience")
    public HealthChecksContributor resilienceHealthContributor(ListableBeanFactory beans,
            ObjectProvider<OutOfService> outOfService) {
        OutOfService shutdown = outOfService.getIfAvailable();
        return shutdown == null ? new HealthChecksContributor(new Lazy(beans))
                : new HealthChecksContributor(new Lazy(beans), shutdown::reason);
    }

    /**
     * The {@code circuitBreakers} contributor: the registry's breakers, those created later included.
     *
     * @param registry the registry
     * @return the contributor
     */
    @Bean
    @ConditionalOnMissingBean(name = "circuitBreakersHealthContributor")
    @ConditionalOnBean(ResilienceRegistry.class)
    @ConditionalOnEnabledHealthIndicator("circuitbreakers")
    public HealthChecksContributor circuitBreakersHealthContributor(ResilienceRegistry registry) {
        return new HealthChecksContributor(() -> {
            Map<String, HealthCheck> breakers = new TreeMap<>();
            for (Policy policy : registry.policies()) {
                if (policy instanceof CircuitBreaker breaker) {
                    breakers.put(breaker.name(), breaker.asHealthCheck());
                }
            }
            return breakers;
        });
    }

    /**
     * Puts {@code resilience} in the readiness group, unless the application configures that group itself.
     *
     * @param environment where an application's own readiness group would be configured
     * @return the post-processor
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnEnabledHealthIndicator("resilience")
    public ReadinessGroupPostProcessor resilienceReadinessGroupPostProcessor(Environment environment) {
        boolean own = environment.containsProperty("management.endpoint.health.group.readiness.include");
        return new ReadinessGroupPostProcessor(own ? Set.of() : Set.of("resilience"));
    }

    /** The HealthCheck beans, looked up once, when the context is up (a health request never comes earlier). */
    private static final class Lazy implements java.util.function.Supplier<Map<String, HealthCheck>> {
        private final ListableBeanFactory beans;
        private volatile @Nullable Map<String, HealthCheck> checks;

        Lazy(ListableBeanFactory beans) {
            this.beans = beans;
        }

        @Override
        public Map<String, HealthCheck> get() {
            Map<String, HealthCheck> found = checks;
            if (found == null) {
                found = new LinkedHashMap<>(new TreeMap<>(beans.getBeansOfType(HealthCheck.class)));
                checks = found;
            }
            return found;
        }
    }
}
