/** resilience-health: see the module's README section. */
@NullMarked
package dev.resilience.health;

import org.jspecify.annotations.NullMarked;
