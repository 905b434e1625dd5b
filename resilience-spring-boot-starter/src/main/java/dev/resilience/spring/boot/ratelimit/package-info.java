/**
 * Auto-configuration of {@code resilience-ratelimit}: named limiters from {@code resilience.ratelimit.limiters.*}
 * (on Redis from {@code spring.data.redis.*} when it is configured, in memory otherwise), the servlet filter
 * with its routes, login protection, the {@link dev.resilience.spring.boot.ratelimit.RateLimited} method
 * annotation and the limiters' health as a core {@link dev.resilience.core.HealthCheck} bean.
 */
@NullMarked
package dev.resilience.spring.boot.ratelimit;

import org.jspecify.annotations.NullMarked;
