package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every component built by a builder reports its effective settings, defaults included, and no secret. */
class ConfigTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void healthRegistryReportsItsChecksAndDefaults() {
        HealthRegistry registry = HealthRegistry.builder().check("db", HealthCheckResult::up).build();
        assertThat(registry.config()).isEqualTo(new HealthRegistry.Config(Map.of("db", CheckOptions.defaults()),
                Duration.ofSeconds(5), Optional.empty()));
        CheckOptions critical = CheckOptions.defaults().withCritical(true).withTimeout(Duration.ofSeconds(2));
        HealthRegistry.Config built = HealthRegistry.builder().check("db", HealthCheckResult::up, critical)
                .check("cache", HealthCheckResult::up).cacheTtl(Duration.ofSeconds(1))
                .refreshInBackground(Duration.ofSeconds(30)).build().config();
        assertThat(built.checks().keySet()).containsExactly("db", "cache");
        assertThat(built.checks().get("db")).isEqualTo(critical);
        assertThat(built.cacheTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(built.refreshInterval()).contains(Duration.ofSeconds(30));
    }

    @Test
    void endpointsReportWhatTheyServeButNeverTheToken() {
        HealthRegistry registry = HealthRegistry.builder().build();
        assertThat(HealthEndpoints.builder(registry).build().config())
                .isEqualTo(new HealthEndpoints.Config("", HealthFormat.HEALTH_JSON, "DISABLED", false, false, false));
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HealthEndpoints.Config config = HealthEndpoints.builder(registry).prefix("/ops")
                .sensitiveAccess(EndpointAccess.token("s3cret-token-value")).prometheus(prometheus).build().config();
        assertThat(config).isEqualTo(new HealthEndpoints.Config("/ops", HealthFormat.HEALTH_JSON, "TOKEN", true, false, false));
        assertThat(config.toString()).doesNotContain("s3cret");
    }

    @Test
    void requestMetricsReportTheirSettingsAndDefaults() {
        assertThat(RequestMetrics.builder(meters).build().config()).isEqualTo(
                new RequestMetrics.Config("http.server.requests", List.of(), List.of(0.5, 0.95, 0.99), false, false));
        RequestMetrics.Config config = RequestMetrics.builder(new SimpleMeterRegistry()).name("web").routes("/users/{id}")
                .percentiles(0.9).histogram(true).recordHealthProbes(true).build().config();
        assertThat(config).isEqualTo(new RequestMetrics.Config("web", List.of("/users/{id}"), List.of(0.9), true, true));
    }

    @Test
    void securityHeadersReportTheHeadersInOrderAndTheirRoutes() {
        SecurityHeaders.Config defaults = SecurityHeaders.defaults().config();
        assertThat(defaults.headers().keySet()).containsExactly(SecurityHeaders.HSTS, SecurityHeaders.CONTENT_SECURITY_POLICY,
                SecurityHeaders.CONTENT_TYPE_OPTIONS, SecurityHeaders.FRAME_OPTIONS, SecurityHeaders.REFERRER_POLICY,
                SecurityHeaders.PERMISSIONS_POLICY);
        assertThat(defaults.headers()).containsEntry(SecurityHeaders.FRAME_OPTIONS, "DENY")
                .containsEntry(SecurityHeaders.HSTS, "max-age=31536000; includeSubDomains");
        assertThat(defaults.tlsTerminatedByProxy()).isFalse();
        assertThat(defaults.routes()).isEmpty();
        SecurityHeaders docs = SecurityHeaders.builder().frameOptions("SAMEORIGIN").build();
        SecurityHeaders.Config config = SecurityHeaders.builder().omit(SecurityHeaders.PERMISSIONS_POLICY)
                .tlsTerminatedByProxy(true).route("/docs", docs).build().config();
        assertThat(config.headers()).doesNotContainKey(SecurityHeaders.PERMISSIONS_POLICY);
        assertThat(config.tlsTerminatedByProxy()).isTrue();
        assertThat(config.routes()).containsOnlyKeys("/docs");
        assertThat(config.routes().get("/docs").headers()).containsEntry(SecurityHeaders.FRAME_OPTIONS, "SAMEORIGIN");
    }

    @Test
    void metricSamplerReportsCapacityAndInterval() {
        try (MetricSampler sampler = MetricSampler.builder(meters).build()) {
            assertThat(sampler.config()).isEqualTo(new MetricSampler.Config(1000, Duration.ofSeconds(10)));
        }
        try (MetricSampler sampler = MetricSampler.builder(meters).capacity(60).interval(Duration.ofMinutes(1)).build()) {
            assertThat(sampler.config()).isEqualTo(new MetricSampler.Config(60, Duration.ofMinutes(1)));
        }
    }

    @Test
    void alertMonitorReportsRulesNotifiersAndDefaults() {
        try (AlertMonitor monitor = AlertMonitor.builder(meters).build()) {
            assertThat(monitor.config()).isEqualTo(
                    new AlertMonitor.Config(List.of(), 0, false, Duration.ofSeconds(15), Duration.ofHours(1), true));
        }
        try (AlertMonitor monitor = AlertMonitor.builder(meters).rule(AlertRules.serviceDown()).rule(AlertRules.errorRateAbove(0.1))
                .notifier(alert -> { }).health(HealthRegistry.builder().build()).interval(Duration.ofSeconds(30))
                .resolvedRetention(Duration.ofMinutes(10)).executor(Runnable::run).build()) {
            AlertMonitor.Config config = monitor.config();
            assertThat(config.rules()).containsExactly(AlertRules.serviceDown().name(), AlertRules.errorRateAbove(0.1).name());
            assertThat(config).isEqualTo(new AlertMonitor.Config(config.rules(), 1, true, Duration.ofSeconds(30),
                    Duration.ofMinutes(10), false));
        }
    }

    @Test
    void webhookNotifierReportsHostAndHeaderNamesButNoSecret() {
        WebhookNotifier.Config defaults = WebhookNotifier.builder(URI.create("https://hooks.example.com/T0/s3cret-path"))
                .header("Authorization", "Bearer s3cret-token").build().config();
        assertThat(defaults).isEqualTo(new WebhookNotifier.Config("hooks.example.com", Duration.ofSeconds(5), 5,
                Duration.ofMinutes(2), List.of("Authorization"), true));
        assertThat(defaults.toString()).doesNotContain("s3cret");
        WebhookNotifier.Config config = WebhookNotifier.builder(URI.create("http://alerts.internal/hook"))
                .requestTimeout(Duration.ofSeconds(2)).retry(Retry.builder("hook").maxAttempts(2).build()).build().config();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxAttempts()).isEqualTo(2);
        assertThat(config.headerNames()).isEmpty();
    }

    @Test
    void gracefulShutdownReportsItsStepsAndDefaults() {
        assertThat(GracefulShutdown.builder().build().config())
                .isEqualTo(new GracefulShutdown.Config(false, 0, Duration.ofSeconds(5), Duration.ofSeconds(20), List.of()));
        GracefulShutdown.Config config = GracefulShutdown.builder().health(HealthRegistry.builder().build())
                .requests(RequestMetrics.builder(new SimpleMeterRegistry()).build()).drainDelay(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(10)).resource("pool", () -> { }).resource("cache", () -> { }).build().config();
        assertThat(config).isEqualTo(new GracefulShutdown.Config(true, 1, Duration.ofSeconds(1), Duration.ofSeconds(10),
                List.of("pool", "cache")));
    }
}
