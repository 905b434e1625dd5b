/** Implementation of the cache: the Redis store, the entry format. Not API. */
package dev.resilience.cache.internal;
