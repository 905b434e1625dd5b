/**
 * Auto-configuration of {@code resilience-pool}: a {@link dev.resilience.pool.ResilientDataSource} built
 * from {@code spring.datasource.*} and {@code resilience.pool.*} that takes the place of Spring Boot's own
 * {@code DataSource}, and its health check as a core {@link dev.resilience.core.HealthCheck} bean.
 */
@NullMarked
package dev.resilience.spring.boot.pool;

import org.jspecify.annotations.NullMarked;
