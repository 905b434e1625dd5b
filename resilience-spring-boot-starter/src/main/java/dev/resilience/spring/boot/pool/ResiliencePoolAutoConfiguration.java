package dev.resilience.spring.boot.pool;

import dev.resilience.pool.ResilientDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A {@link ResilientDataSource} as the application's {@code DataSource}, from {@code spring.datasource.url},
 * {@code username}, {@code password} (and {@code name} as the pool name) plus {@code resilience.pool.*}.
 * It runs before Spring Boot's {@code DataSourceAutoConfiguration}, which then backs off, so Boot's
 * {@code JdbcTemplate}, {@code DataSourceTransactionManager} ({@code @Transactional}), Flyway and Liquibase
 * use it. {@code spring.datasource.hikari.*} and {@code driver-class-name} are not read: the pool is
 * PostgreSQL's and takes its HikariCP settings from {@code resilience.pool.*}.
 *
 * <p>Off with {@code resilience.pool.enabled=false}; backs off when the application defines any
 * {@code DataSource} bean itself. {@link ResilientDataSourceCustomizer} beans adjust the builder.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(ResilientDataSource.class)
@ConditionalOnProperty(prefix = "resilience.pool", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ResiliencePoolProperties.class)
public class ResiliencePoolAutoConfiguration {

    /**
     * The pool, started (it opens one connection, so a wrong URL or password fails the context at once).
     *
     * @param environment where {@code spring.datasource.*} is read
     * @param properties  {@code resilience.pool.*}
     * @param customizers applied last, in order
     * @return the data source; Spring closes it on shutdown
     * @throws IllegalStateException when {@code spring.datasource.url} is not set
     */
    @Bean
    @ConditionalOnMissingBean(DataSource.class)
    public ResilientDataSource dataSource(Environment environment, ResiliencePoolProperties properties,
                                          ObjectProvider<ResilientDataSourceCustomizer> customizers) {
        Binder binder = Binder.get(environment);
        String url = binder.bind("spring.datasource.url", String.class).orElse(null);
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("resilience.pool is enabled but spring.datasource.url is not set: set it "
                    + "(jdbc:postgresql://host:5432/db) or set resilience.pool.enabled=false");
        }
        ResilientDataSource.Builder builder = ResilientDataSource.builder().url(url);
        binder.bind("spring.datasource.username", String.class).ifBound(builder::username);
        binder.bind("spring.datasource.password", String.class).ifBound(password -> builder.password(password.toCharArray()));
        String poolName = properties.getPoolName() != null ? properties.getPoolName()
                : binder.bind("spring.datasource.name", String.class).orElse(null);
        Optional.ofNullable(poolName).ifPresent(builder::poolName);
        apply(properties, builder);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    private static void apply(ResiliencePoolProperties p, ResilientDataSource.Builder b) {
        Optional.ofNullable(p.getMinimumIdle()).ifPresent(b::minimumIdle);
        Optional.ofNullable(p.getMaximumPoolSize()).ifPresent(b::maximumPoolSize);
        Optional.ofNullable(p.getIdleTimeout()).ifPresent(b::idleTimeout);
        Optional.ofNullable(p.getMaxLifetime()).ifPresent(b::maxLifetime);
        Optional.ofNullable(p.getKeepaliveTime()).ifPresent(b::keepaliveTime);
        Optional.ofNullable(p.getConnectionTimeout()).ifPresent(b::connectionTimeout);
        Optional.ofNullable(p.getValidationTimeout()).ifPresent(b::validationTimeout);
        Optional.ofNullable(p.getLeakDetectionThreshold()).ifPresent(b::leakDetectionThreshold);
        Optional.ofNullable(p.getStatementTimeout()).ifPresent(b::statementTimeout);
        Optional.ofNullable(p.getStatementTimeoutPerTransaction()).ifPresent(b::statementTimeoutPerTransaction);
        Optional.ofNullable(p.getSlowQueryThreshold()).ifPresent(b::slowQueryThreshold);
        Optional.ofNullable(p.getLogQueryParameters()).ifPresent(b::logQueryParameters);
        Optional.ofNullable(p.getMaxAttempts()).ifPresent(b::maxAttempts);
        Optional.ofNullable(p.getMaxRetryDuration()).ifPresent(b::maxRetryDuration);
        p.getReplicas().forEach(b::replica);
        Optional.ofNullable(p.getReplicaMaxLag()).ifPresent(b::replicaMaxLag);
        Optional.ofNullable(p.getReplicaLagCheckInterval()).ifPresent(b::replicaLagCheckInterval);
        Optional.ofNullable(p.getReplicaLagQuery()).ifPresent(b::replicaLagQuery);
        Optional.ofNullable(p.getHealthPendingThreshold()).ifPresent(b::healthPendingThreshold);
        Optional.ofNullable(p.getShutdownTimeout()).ifPresent(b::shutdownTimeout);
        Optional.ofNullable(p.getSchema()).ifPresent(b::schema);
        Optional.ofNullable(p.getDefaultIsolation()).ifPresent(b::defaultIsolation);
        Optional.ofNullable(p.getRegisterMbeans()).ifPresent(b::registerMbeans);
        Optional.ofNullable(p.getAllowPoolSuspension()).ifPresent(b::allowPoolSuspension);
        p.getDriverProperties().forEach(b::driverProperty);
    }

    /** Binds the pool's meters to the application's {@link MeterRegistry} when Micrometer is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class PoolMetricsConfiguration {

        @Bean
        ResilientDataSourceCustomizer resilientDataSourceMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifAvailable(builder::meterRegistry);
        }
    }
}
