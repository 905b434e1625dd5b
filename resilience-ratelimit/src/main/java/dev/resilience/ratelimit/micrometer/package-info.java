/**
 * Micrometer metrics for rate limiters ({@link dev.resilience.ratelimit.micrometer.RateLimitMetrics}).
 * The only package of the module that uses Micrometer, an optional dependency.
 */
@NullMarked
package dev.resilience.ratelimit.micrometer;

import org.jspecify.annotations.NullMarked;
