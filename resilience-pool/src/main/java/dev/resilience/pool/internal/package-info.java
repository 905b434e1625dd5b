/**
 * Implementation of the pool: not API, may change in any release. Statement observation (slow query log,
 * metrics), the transaction runner, replica lag checks, read-only eviction, health and start-up error
 * classification.
 */
@NullMarked
package dev.resilience.pool.internal;

import org.jspecify.annotations.NullMarked;
