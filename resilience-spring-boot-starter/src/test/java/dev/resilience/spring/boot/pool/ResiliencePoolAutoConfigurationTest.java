package dev.resilience.spring.boot.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.pool.ResilientDataSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** The pool auto-configuration's conditions; none of these opens a connection. */
class ResiliencePoolAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResiliencePoolAutoConfiguration.class,
                    ResiliencePoolHealthAutoConfiguration.class, DataSourceAutoConfiguration.class));

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnDataSource() {
        runner.withUserConfiguration(OwnDataSource.class)
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(DataSource.class).isSameAs(context.getBean("ownDataSource"));
                    assertThat(context).doesNotHaveBean(ResilientDataSource.class);
                    assertThat(context).doesNotHaveBean("resilientDataSourceHealthCheck");
                });
    }

    @Test
    void leavesBootsDataSourceAloneWhenDisabled() {
        runner.withPropertyValues("resilience.pool.enabled=false", "spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context).doesNotHaveBean(ResilientDataSource.class);
                    assertThat(context.getBean(DataSource.class).getClass().getName()).isEqualTo("com.zaxxer.hikari.HikariDataSource");
                });
    }

    @Test
    void leavesBootsDataSourceAloneWithoutThePoolModule() {
        runner.withClassLoader(new FilteredClassLoader(ResilientDataSource.class))
                .withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
                .run(context -> {
                    assertThat(context).hasSingleBean(DataSource.class);
                    assertThat(context).doesNotHaveBean(ResiliencePoolAutoConfiguration.class);
                });
    }

    @Test
    void failsNamingThePropertyWhenTheUrlIsMissing() {
        runner.run(context -> assertThat(context).hasFailed().getFailure()
                .rootCause().hasMessageContaining("spring.datasource.url is not set")
                .hasMessageContaining("resilience.pool.enabled=false"));
    }

    @Test
    void aBadSettingFailsTheContextWithThePoolsMessage() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none", "resilience.pool.maximum-pool-size=0")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("maximumPoolSize"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnDataSource {
        @Bean
        DataSource ownDataSource() {
            return new SimpleDriverDataSource();
        }
    }
}
