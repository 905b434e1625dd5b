package dev.resilience.spring.boot.pool;

import dev.resilience.pool.ResilientDataSource;

/**
 * Adjusts the {@link ResilientDataSource.Builder} the starter prepares from properties, just before it is
 * built: for what properties cannot say (a {@code Backoff}, an acquisition breaker, a password
 * {@code Supplier}, a {@code hikariConfig(...)} customizer). Every customizer bean is applied, in
 * {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface ResilientDataSourceCustomizer {

    /**
     * Changes the builder.
     *
     * @param builder the builder, already holding the values of {@code spring.datasource.*} and
     *                {@code resilience.pool.*}
     */
    void customize(ResilientDataSource.Builder builder);
}
