/**
 * The Actuator bridge: core {@code HealthCheck} beans and the registry's circuit breakers as Actuator health
 * contributors, placed in the readiness group.
 */
@NullMarked
package dev.resilience.spring.boot.health;

import org.jspecify.annotations.NullMarked;
