package dev.resilience.examples.springboot;

import dev.resilience.core.HealthCheck;
import dev.resilience.health.HealthChecks;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * An orders service: orders in PostgreSQL through the starter's resilient DataSource, prices from a flaky
 * upstream behind a retry and a breaker, order reads cached on Redis ({@code @EnableCaching}: the starter's
 * CacheManager), rate limits and login protection, daily verified backups.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableCaching
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }

    /** Any core HealthCheck bean shows in /actuator/health and the readiness group. */
    @Bean
    HealthCheck disk() {
        return HealthChecks.diskSpace(Path.of(System.getProperty("java.io.tmpdir")));
    }
}
