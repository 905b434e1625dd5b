/** Implementation of the rate limiters: algorithms, the Redis script, key and address handling. Not API. */
package dev.resilience.ratelimit.internal;
