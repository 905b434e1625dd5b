package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keeps the README's sample compiling and working: the body of {@link #wire} is quoted there. */
class ReadmeExampleTest {

    static final class Service {
        HttpServer server;
        GracefulShutdown shutdown;
    }

    static Service wire(HealthCheck database, Path dataDir, URI webhook, String opsToken) throws IOException {
        // README sample begins
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        HealthRegistry health = HealthRegistry.builder()
                .check("database", database)                        // e.g. the resilience-pool check
                .check("disk", HealthChecks.diskSpace(dataDir),     // DEGRADED under 20 % free
                        CheckOptions.defaults().withCritical(false))
                .check("deadlocks", HealthChecks.deadlockedThreads(),
                        CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS))
                .build();
        health.bindTo(meters);

        RequestMetrics requests = RequestMetrics.builder(meters)
                .routes("/api/orders/{id}", "/api/orders/{id}/items")
                .build();

        AlertMonitor alerts = AlertMonitor.builder(meters)
                .health(health)
                .rules(AlertRules.defaults("database", dataDir))
                .notifier(AlertNotifier.log())
                .notifier(WebhookNotifier.builder(webhook).build())
                .build();
        alerts.start();

        MetricSampler sampler = MetricSampler.builder(meters).build();
        sampler.start();

        HealthEndpoints endpoints = HealthEndpoints.builder(health)
                .prefix("/ops")
                .prometheus(meters)
                .sampler(sampler)
                .alerts(alerts)
                .sensitiveAccess(EndpointAccess.token(opsToken))
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        RequestMetricsFilter metricsFilter = new RequestMetricsFilter(requests);
        HealthHttpHandler.mount(server, endpoints);
        server.createContext("/api", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(metricsFilter);
        server.start();

        GracefulShutdown shutdown = GracefulShutdown.builder()
                .health(health)
                .requests(requests)
                .resource("health checks", health)
                .resource("metric sampler", sampler)
                .resource("alerts", alerts)
                .resource("http server", () -> server.stop(1))
                .build();
        // README sample ends (the README adds shutdown.installShutdownHook(), which a test must not)
        Service service = new Service();
        service.server = server;
        service.shutdown = shutdown;
        return service;
    }

    @Test
    void theReadmeSampleServesHealthAndMetrics() throws Exception {
        Service service = wire(HealthCheckResult::up, Path.of("."), URI.create("http://127.0.0.1:9/alerts"),
                "a-token-of-at-least-16-chars");
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + service.server.getAddress().getPort();
        try {
            client.send(HttpRequest.newBuilder(URI.create(base + "/api/orders/7")).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(base + "/ops/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            // the JDK server answers before its filters return, so the request may be recorded a moment later
            HttpResponse<String> metrics = await().until(() -> client.send(HttpRequest.newBuilder(
                    URI.create(base + "/ops/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()), r -> r.body().contains("http_server_requests_seconds"));

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("health_score").contains("http_server_requests_seconds");
        } finally {
            service.server.stop(0);
        }
    }
}
