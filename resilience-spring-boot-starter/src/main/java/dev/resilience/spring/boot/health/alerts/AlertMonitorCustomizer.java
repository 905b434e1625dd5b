package dev.resilience.spring.boot.health.alerts;

import dev.resilience.health.AlertMonitor;

/**
 * Settings of the starter's {@link AlertMonitor} that properties cannot express (a clock, a scheduler, an
 * executor), applied after the properties, in {@code @Order}.
 */
@FunctionalInterface
public interface AlertMonitorCustomizer {

    /**
     * @param builder the builder, rules and notifiers from the properties already added
     */
    void customize(AlertMonitor.Builder builder);
}
