/**
 * Cache-aside on Redis with an optional local tier: {@link dev.resilience.cache.RedisCache}, its
 * {@link dev.resilience.cache.CacheCodec} SPI and {@link dev.resilience.cache.CacheStats}. See the module's README.
 */
@NullMarked
package dev.resilience.cache;

import org.jspecify.annotations.NullMarked;
