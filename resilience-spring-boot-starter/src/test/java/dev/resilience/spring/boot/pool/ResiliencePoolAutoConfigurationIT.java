package dev.resilience.spring.boot.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.pool.ResilientDataSource;
import dev.resilience.testkit.TestServices;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/** The pool auto-configuration against the real PostgreSQL: the settings reach the pool and the server. */
class ResiliencePoolAutoConfigurationIT {

    private static final String URL = TestServices.postgresUrl("test");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResiliencePoolAutoConfiguration.class,
                    ResiliencePoolHealthAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + URL, "spring.datasource.username=postgres");

    @Test
    void replacesBootsDataSourceWithOneBuiltFromSpringDatasourceAndResiliencePool() {
        runner.withPropertyValues("resilience.pool.pool-name=orders", "resilience.pool.minimum-idle=1",
                        "resilience.pool.maximum-pool-size=3", "resilience.pool.statement-timeout=1500ms",
                        "resilience.pool.connection-timeout=2s", "resilience.pool.driver-properties.ApplicationName=starter-it")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DataSource dataSource = context.getBean(DataSource.class);
                    assertThat(dataSource).isInstanceOf(ResilientDataSource.class);
                    assertThat(((ResilientDataSource) dataSource).name()).isEqualTo("orders");
                    HikariDataSource hikari = dataSource.unwrap(HikariDataSource.class);
                    assertThat(hikari.getMaximumPoolSize()).isEqualTo(3);
                    assertThat(hikari.getMinimumIdle()).isEqualTo(1);
                    assertThat(hikari.getConnectionTimeout()).isEqualTo(Duration.ofSeconds(2).toMillis());

                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SHOW statement_timeout", String.class)).isEqualTo("1500ms");
                    assertThat(jdbc.queryForObject("SHOW application_name", String.class)).isEqualTo("starter-it");
                    assertThat(context.getBean(PlatformTransactionManager.class)).isInstanceOf(DataSourceTransactionManager.class);
                    assertThat(((DataSourceTransactionManager) context.getBean(PlatformTransactionManager.class)).getDataSource())
                            .isSameAs(dataSource);
                    assertThat(context.getBean("resilientDataSourceHealthCheck", HealthCheck.class).check().status())
                            .isEqualTo(HealthStatus.UP);
                });
    }

    @Test
    void theApplicationsOwnResilientDataSourceIsUsedAndGetsTheHealthCheck() {
        runner.withUserConfiguration(OwnPool.class).run(context -> {
            assertThat(context).hasSingleBean(ResilientDataSource.class);
            ResilientDataSource own = context.getBean(ResilientDataSource.class);
            assertThat(own.name()).isEqualTo("own");
            assertThat(context.getBean(JdbcTemplate.class).getDataSource()).isSameAs(own);
            assertThat(context.getBean("resilientDataSourceHealthCheck", HealthCheck.class).check().details())
                    .containsEntry("max", 2);
        });
    }

    @Test
    void customizersAdjustTheBuilder() {
        runner.withBean(ResilientDataSourceCustomizer.class, () -> builder -> builder.statementTimeout(Duration.ofMillis(750)))
                .withPropertyValues("resilience.pool.statement-timeout=5s", "resilience.pool.minimum-idle=1", "resilience.pool.maximum-pool-size=2")
                .run(context -> assertThat(context.getBean(JdbcTemplate.class).queryForObject("SHOW statement_timeout", String.class))
                        .isEqualTo("750ms"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnPool {
        @Bean
        ResilientDataSource ownPool() {
            return ResilientDataSource.builder().url(URL).username("postgres").poolName("own")
                    .minimumIdle(1).maximumPoolSize(2).build();
        }
    }
}
