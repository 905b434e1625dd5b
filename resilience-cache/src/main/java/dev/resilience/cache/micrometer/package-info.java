/** Micrometer binder for {@link dev.resilience.cache.RedisCache} (an optional dependency). */
@NullMarked
package dev.resilience.cache.micrometer;

import org.jspecify.annotations.NullMarked;
