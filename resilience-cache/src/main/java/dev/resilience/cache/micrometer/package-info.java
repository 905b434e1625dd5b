/** Micrometer binder for {@link dev.resilience.cache.RedisCache} (an optional dependency). */
package dev.resilience.cache.micrometer;
