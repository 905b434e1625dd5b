package dev.resilience.spring.boot.pool;

import dev.resilience.core.HealthCheck;
import dev.resilience.pool.ResilientDataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The pool's health ({@link ResilientDataSource#asHealthCheck()}) as a core {@link HealthCheck} bean named
 * {@code resilientDataSourceHealthCheck}, for whichever {@link ResilientDataSource} the context holds (the
 * starter's or the application's own). The starter's health bridge turns it into an Actuator indicator.
 * Runs after the data source is known, so a single class holds it apart from the data source itself.
 */
@AutoConfiguration(after = ResiliencePoolAutoConfiguration.class,
        afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(ResilientDataSource.class)
public class ResiliencePoolHealthAutoConfiguration {

    /**
     * The pool's health check.
     *
     * @param dataSource the one resilient data source
     * @return its health check
     */
    @Bean
    @ConditionalOnBean(ResilientDataSource.class)
    @ConditionalOnMissingBean(name = "resilientDataSourceHealthCheck")
    public HealthCheck resilientDataSourceHealthCheck(ResilientDataSource dataSource) {
        return dataSource.asHealthCheck();
    }
}
