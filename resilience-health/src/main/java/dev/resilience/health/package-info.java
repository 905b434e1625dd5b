/** resilience-health: see the module's README section. */
package dev.resilience.health;
