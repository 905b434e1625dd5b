/**
 * The core policies: {@link dev.resilience.core.Retry}, {@link dev.resilience.core.CircuitBreaker},
 * {@link dev.resilience.core.Timeout}, {@link dev.resilience.core.Bulkhead} and
 * {@link dev.resilience.core.Fallback}, their composition with {@link dev.resilience.core.Resilience},
 * their events, the {@link dev.resilience.core.Clock} and the {@link dev.resilience.core.HealthCheck} SPI
 * that other modules implement. Nothing here accepts or returns {@code null} unless it says so.
 */
@NullMarked
package dev.resilience.core;

import org.jspecify.annotations.NullMarked;
