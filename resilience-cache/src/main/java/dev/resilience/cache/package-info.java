/**
 * Cache-aside on Redis with an optional local tier: {@link dev.resilience.cache.RedisCache}, its
 * {@link dev.resilience.cache.CacheCodec} SPI and {@link dev.resilience.cache.CacheStats}. See the module's README.
 */
package dev.resilience.cache;
