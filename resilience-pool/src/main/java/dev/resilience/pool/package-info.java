/** resilience-pool: see the module's README section. */
package dev.resilience.pool;
