/**
 * Implementation of the rate limiters: algorithms, the Redis script, key and address handling. Not API:
 * may change or go away in any release, and not exported from the module.
 */
@NullMarked
package dev.resilience.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
