package dev.resilience.spring.boot;

import dev.resilience.core.ResilienceRegistry;

/**
 * Adds what properties cannot say (clocks, listeners, predicates, budgets) to the registry the starter
 * builds: every bean of this type is applied, in {@code @Order}, after the {@code resilience.*} properties.
 *
 * <pre>{@code
 * @Bean
 * ResilienceRegistryCustomizer sharedBudget(RetryBudget budget) {
 *     return builder -> builder.retryConfig("default", b -> b.budget(budget));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ResilienceRegistryCustomizer {

    /**
     * Adds configurations or instance settings to the registry being built.
     *
     * @param builder the builder, already holding the settings from the properties
     */
    void customize(ResilienceRegistry.Builder builder);
}
