/** resilience-ratelimit: see the module's README section. */
package dev.resilience.ratelimit;
