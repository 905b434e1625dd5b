package dev.resilience.spring.boot;

import dev.resilience.core.ResilienceRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Named retry, circuit breaker, bulkhead and timeout instances from {@code resilience.<kind>.*}, read with
 * the same keys as {@link ResilienceRegistry.Builder#properties(Map)}.
 */
@AutoConfiguration
public class ResilienceCoreAutoConfiguration {

    /**
     * The registry of named policies, built from the {@code resilience.*} properties.
     *
     * @param environment where the properties come from
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public ResilienceRegistry resilienceRegistry(Environment environment) {
        Map<String, String> flat = new TreeMap<>();
        for (String kind : new String[] {"circuitbreaker", "retry", "timeout", "bulkhead"}) {
            Binder.get(environment)
                    .bind("resilience." + kind, Bindable.mapOf(String.class, String.class))
                    .ifBound(values -> values.forEach((key, value) -> flat.put("resilience." + kind + "." + key, value)));
        }
        return ResilienceRegistry.builder().properties(flat).build();
    }
}
