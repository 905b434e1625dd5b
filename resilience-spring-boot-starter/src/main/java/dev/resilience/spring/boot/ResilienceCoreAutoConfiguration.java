package dev.resilience.spring.boot;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.micrometer.ResilienceRegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Named retry, circuit breaker, bulkhead and timeout instances with shared configurations, from
 * {@code resilience.<kind>.configs.*} and {@code resilience.<kind>.instances.*} (the same keys as
 * {@link ResilienceRegistry.Builder#properties(Map)}), in one {@link ResilienceRegistry} bean, each policy bound
 * to Micrometer when the application has a {@link MeterRegistry}.
 *
 * <p>A bad key or value fails start-up with a message naming the property. Every bean yields to one of the
 * same type that the application defines.
 */
@AutoConfiguration(afterName = {
        // the MeterRegistry beans must exist before @ConditionalOnBean(MeterRegistry.class) is judged
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@EnableConfigurationProperties({RetryProperties.class, CircuitBreakerProperties.class, TimeoutProperties.class,
        BulkheadProperties.class})
public class ResilienceCoreAutoConfiguration {

    /**
     * The registry of named policies, built from the {@code resilience.*} properties, then the
     * {@link ResilienceRegistryCustomizer} beans.
     *
     * @param retry          {@code resilience.retry.*}
     * @param circuitBreaker {@code resilience.circuitbreaker.*}
     * @param timeout        {@code resilience.timeout.*}
     * @param bulkhead       {@code resilience.bulkhead.*}
     * @param customizers    code-only settings
     * @return the registry
     * @throws IllegalArgumentException naming the property, when a value is out of range or a base
     *                                  configuration unknown
     */
    @Bean
    @ConditionalOnMissingBean
    public ResilienceRegistry resilienceRegistry(RetryProperties retry, CircuitBreakerProperties circuitBreaker,
            TimeoutProperties timeout, BulkheadProperties bulkhead,
            ObjectProvider<ResilienceRegistryCustomizer> customizers) {
        Map<String, String> flat = new TreeMap<>();
        retry.flatten(flat);
        circuitBreaker.flatten(flat);
        timeout.flatten(flat);
        bulkhead.flatten(flat);
        ResilienceRegistry.Builder builder = ResilienceRegistry.builder().properties(flat);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /** Binds every policy of the registry, present and future, to Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        /**
         * The binder. With Actuator, Actuator binds it (as it binds every {@code MeterBinder} bean) to its
         * registries, once.
         */
        @Bean
        @ConditionalOnMissingBean
        ResilienceRegistryMetrics resilienceRegistryMetrics(ResilienceRegistry registry) {
            return new ResilienceRegistryMetrics(registry);
        }

        /** Without Actuator nobody binds {@code MeterBinder} beans: bind to the application's registry. */
        @Bean
        @ConditionalOnMissingClass("org.springframework.boot.actuate.autoconfigure.metrics.MeterRegistryPostProcessor")
        static SmartInitializingSingleton resilienceRegistryMetricsBinding(ObjectProvider<ResilienceRegistryMetrics> metrics,
                ObjectProvider<MeterRegistry> meterRegistries) {
            return () -> meterRegistries.ifUnique(meterRegistry -> metrics.ifAvailable(m -> m.bindTo(meterRegistry)));
        }
    }
}
