/**
 * resilience-health's {@code AlertMonitor} from {@code resilience.alerts.*}: the ready-made rules switched on
 * and off with their thresholds and {@code for} durations, check-down rules, log and webhook notifiers, started
 * and stopped with the application context.
 */
@NullMarked
package dev.resilience.spring.boot.health.alerts;

import org.jspecify.annotations.NullMarked;
