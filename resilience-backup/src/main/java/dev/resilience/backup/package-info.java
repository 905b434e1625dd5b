/** resilience-backup: see the module's README section. */
package dev.resilience.backup;
