/** A {@link dev.resilience.cache.CacheCodec} for JSON with Jackson (an optional dependency). */
package dev.resilience.cache.jackson;
