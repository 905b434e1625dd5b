package dev.resilience.examples;

import dev.resilience.health.AlertMonitor;
import dev.resilience.health.AlertRules;
import dev.resilience.health.EndpointAccess;
import dev.resilience.health.HealthEndpoints;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.MetricSampler;
import dev.resilience.health.RequestMetrics;
import dev.resilience.health.RequestMetricsFilter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The operator side of the service, from {@code resilience-health}: the Prometheus meter registry,
 * the request metrics middleware, the alert monitor with the default rules, the sampler behind
 * {@code /metrics/{name}} and the endpoints ({@code /health}, {@code /health/detailed} behind the
 * admin token, {@code /metrics}, {@code /alerts}). Thread-safe; close it to stop the background work.
 */
final class Observability implements AutoCloseable {

    /** The route templates, so metrics are tagged {@code /api/orders/{id}}, never a raw id. */
    static final String[] ROUTES = {
        "/api/orders", "/api/orders/{id}", "/api/quote", "/auth/login", "/breakers",
        "/upstream/quote", "/upstream/control", "/admin/backups", "/admin/backups/{id}/verify",
        "/health", "/health/{group}", "/metrics", "/metrics/{name}", "/alerts", "/alerts/{id}/resolve"
    };

    final PrometheusMeterRegistry meters;
    final RequestMetrics requests;
    final RequestMetricsFilter requestFilter;
    private final MetricSampler sampler;
    private AlertMonitor alerts;

    Observability() {
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        requests = RequestMetrics.builder(meters).routes(ROUTES).build();
        requestFilter = new RequestMetricsFilter(requests);
        sampler = MetricSampler.builder(meters).build();
    }

    /**
     * Starts sampling and alerting over {@code health} and returns the endpoints.
     *
     * @param databaseCheck the name of the database check, for the DatabaseDown alert
     * @param disk a path on the disk to watch (the backup folder)
     * @param adminToken who may read the detailed report; empty: nobody
     */
    HealthEndpoints start(HealthRegistry health, String databaseCheck, Path disk, Optional<String> adminToken) {
        health.bindTo(meters);
        health.start();
        alerts = AlertMonitor.builder(meters).rules(AlertRules.defaults(databaseCheck, disk)).health(health).build();
        alerts.start();
        sampler.start();
        return HealthEndpoints.builder(health)
                .sensitiveAccess(adminToken.map(EndpointAccess::token).orElse(EndpointAccess.disabled()))
                .prometheus(meters)
                .sampler(sampler)
                .alerts(alerts)
                .build();
    }

    @Override
    public void close() {
        if (alerts != null) {
            alerts.close();
        }
        sampler.close();
        meters.close();
    }
}
