package dev.resilience.spring.boot.health;

import dev.resilience.core.Sleeper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The shutdown's first step (see {@link ReadinessShutdownLifecycle}), from {@code resilience.shutdown.*}; off
 * with {@code resilience.shutdown.enabled=false}. Each bean yields to the application's own.
 */
@AutoConfiguration(before = ResilienceHealthAutoConfiguration.class)
@EnableConfigurationProperties(ShutdownProperties.class)
@ConditionalOnProperty(prefix = "resilience.shutdown", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ResilienceShutdownAutoConfiguration {

    /**
     * The switch the {@code resilience} health contributor reads.
     *
     * @return the switch, in service
     */
    @Bean
    @ConditionalOnMissingBean
    public OutOfService resilienceOutOfService() {
        return new OutOfService();
    }

    /**
     * Takes readiness down before the web server drains.
     *
     * @param context      where the readiness change is published
     * @param outOfService the switch
     * @param properties   {@code resilience.shutdown.*}
     * @return the lifecycle
     * @throws IllegalArgumentException naming the property when the drain delay is negative
     */
    @Bean
    @ConditionalOnMissingBean
    public ReadinessShutdownLifecycle resilienceReadinessShutdownLifecycle(ApplicationContext context,
            OutOfService outOfService, ShutdownProperties properties) {
        if (properties.getDrainDelay() == null || properties.getDrainDelay().isNegative()) {
            throw new IllegalArgumentException("resilience.shutdown.drain-delay must be 0 or more, was "
                    + properties.getDrainDelay());
        }
        return new ReadinessShutdownLifecycle(context, outOfService, properties.getDrainDelay(), Sleeper.system());
    }
}
