package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.testkit.PrometheusTools;
import dev.resilience.testkit.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's 2.42 binary, on a free port, with a config and data folder in a
 * temporary directory) scrapes {@code /ops/metrics} of a JDK server this test runs with the health
 * module's Prometheus output (health gauges and a circuit breaker's meters), every second, and
 * evaluates copies of the shipped health and module rules every second with their {@code for}
 * durations cut to 1 s. Checked through Prometheus's HTTP API.
 */
class PrometheusServerIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final CircuitBreaker breaker = CircuitBreaker.builder("payments").openDuration(Duration.ofHours(1)).build();
    private HealthRegistry health;
    private HttpServer service;
    private Process prometheus;
    private int prometheusPort;

    @BeforeEach
    void start() throws IOException {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        health = HealthRegistry.builder()
                .check("database", () -> databaseUp.get() ? HealthCheckResult.up() : HealthCheckResult.down("refused"))
                .cacheTtl(Duration.ofMillis(100))
                .build();
        health.bindTo(meters);
        new CircuitBreakerMetrics(breaker).bindTo(meters);
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HealthHttpHandler.mount(service, HealthEndpoints.builder(health).prefix("/ops").prometheus(meters).build());
        service.start();

        for (String file : List.of(AlertRules.PROMETHEUS_RULES, PromtoolIT.MODULE_RULES)) {
            Path rules = PrometheusTools.copyResource(file, dir);
            Files.writeString(rules, Files.readString(rules).replaceAll("for: \\d+m", "for: 1s"));
        }
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - prometheus-alerts.yml
                  - prometheus-module-alerts.yml
                scrape_configs:
                  - job_name: service
                    metrics_path: /ops/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(service.getAddress().getPort()));
        prometheusPort = TestServices.freeLoopbackPort();
        prometheus = new ProcessBuilder(PrometheusTools.binary("prometheus").toString(),
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        await("Prometheus ready (log: " + dir.resolve("prometheus.log") + ")").atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> prometheus.isAlive() && status("/-/ready") == 200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (service != null) {
            service.stop(0);
        }
        if (health != null) {
            health.close();
        }
    }

    @Test
    void scrapesTheServiceAndFiresDatabaseDownAndServiceDownWhenTheDatabaseCheckFails() throws Exception {
        await("target up").atMost(PATIENCE).until(() -> {
            JsonNode targets = api("/api/v1/targets").path("data").path("activeTargets");
            return targets.size() == 1 && targets.get(0).path("health").asText().equals("up");
        });
        await("health_check_status scraped").atMost(PATIENCE)
                .until(() -> query("health_check_status{check=\"database\"} == 1").size() == 1);
        assertThat(firingAlerts()).isEmpty();

        databaseUp.set(false);

        await("DatabaseDown and ServiceDown firing").atMost(PATIENCE)
                .until(() -> firingAlerts().containsAll(List.of("DatabaseDown", "ServiceDown")));
        assertThat(firingAlerts()).containsOnly("DatabaseDown", "ServiceDown");

        databaseUp.set(true);

        await("alerts resolved").atMost(PATIENCE).until(() -> firingAlerts().isEmpty());
    }

    @Test
    void firesCircuitBreakerOpenWhileTheBreakerIsOpen() throws Exception {
        await("breaker state scraped").atMost(PATIENCE)
                .until(() -> query("resilience_circuitbreaker_state{name=\"payments\",state=\"closed\"} == 1").size() == 1);
        assertThat(firingAlerts()).isEmpty();

        breaker.transitionTo(CircuitBreaker.State.OPEN);

        await("CircuitBreakerOpen firing").atMost(PATIENCE).until(() -> firingAlerts().contains("CircuitBreakerOpen"));
        assertThat(firingAlerts()).containsOnly("CircuitBreakerOpen");

        breaker.transitionTo(CircuitBreaker.State.CLOSED);

        await("alert resolved").atMost(PATIENCE).until(() -> firingAlerts().isEmpty());
    }

    private List<String> firingAlerts() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        for (JsonNode alert : api("/api/v1/alerts").path("data").path("alerts")) {
            if (alert.path("state").asText().equals("firing")) {
                names.add(alert.path("labels").path("alertname").asText());
            }
        }
        return names;
    }

    private JsonNode query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    private JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request(path), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private int status(String path) {
        try {
            return client.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + path))
                .timeout(Duration.ofSeconds(10)).build();
    }
}
