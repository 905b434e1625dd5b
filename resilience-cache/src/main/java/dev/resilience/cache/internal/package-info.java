/** Implementation of the cache: the Redis store, the entry format. Not API. */
@NullMarked
package dev.resilience.cache.internal;

import org.jspecify.annotations.NullMarked;
