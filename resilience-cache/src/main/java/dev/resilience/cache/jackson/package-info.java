/** A {@link dev.resilience.cache.CacheCodec} for JSON with Jackson (an optional dependency). */
@NullMarked
package dev.resilience.cache.jackson;

import org.jspecify.annotations.NullMarked;
