package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint over real HTTP, on the JDK server and on Jetty. */
class HealthEndpointsHttpIT {

    private static final String TOKEN = "s3cret-token-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<HealthCheckResult> database = new AtomicReference<>(HealthCheckResult.up());
    private final AtomicReference<HealthCheckResult> cache = new AtomicReference<>(HealthCheckResult.up());
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private HealthRegistry.Builder registryBuilder() {
        return HealthRegistry.builder().clock(clock).scheduler(scheduler)
                .check("database", database::get)
                .check("cache", cache::get, CheckOptions.defaults().withCritical(false))
                .check("threads", HealthChecks.deadlockedThreads(),
                        CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS));
    }

    private TestServer start(TestServer.Kind kind, HealthRegistry registry, HealthEndpoints.Builder endpoints) {
        closeables.add(registry);
        RequestMetrics metrics = RequestMetrics.builder(meters).routes("/api/orders/{id}").build();
        TestServer server = kind.start(endpoints.prefix("/ops").build(), metrics);
        closeables.add(server);
        return server;
    }

    private TestServer start(TestServer.Kind kind) {
        HealthRegistry registry = registryBuilder().build();
        return start(kind, registry, HealthEndpoints.builder(registry).prometheus(meters)
                .sensitiveAccess(EndpointAccess.token(TOKEN)));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthIs200PassWhenEveryCheckIsUp(TestServer.Kind kind) throws IOException {
        TestServer server = start(kind);

        HttpResponse<String> response = server.get("/ops/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/health+json"));
        assertThat(json(response).get("status").asText()).isEqualTo("pass");
        assertThat(json(response).get("score").asInt()).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthIs200WarnWhenANonCriticalCheckIsDown(TestServer.Kind kind) throws IOException {
        cache.set(HealthCheckResult.down("redis unreachable"));
        TestServer server = start(kind);

        HttpResponse<String> response = server.get("/ops/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("warn");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthIs503FailWhenACriticalCheckIsDown(TestServer.Kind kind) throws IOException {
        database.set(HealthCheckResult.down("connection refused"));
        TestServer server = start(kind);

        HttpResponse<String> response = server.get("/ops/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("status").asText()).isEqualTo("fail");
        assertThat(json(response).get("score").asInt()).isLessThan(50);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void liveAndReadyReportOnlyTheirGroups(TestServer.Kind kind) throws IOException {
        database.set(HealthCheckResult.down("connection refused"));
        TestServer server = start(kind);

        HttpResponse<String> live = server.get("/ops/health/live");
        HttpResponse<String> ready = server.get("/ops/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).get("status").asText()).isEqualTo("pass");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).get("status").asText()).isEqualTo("fail");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void detailedIsDisabledByDefault(TestServer.Kind kind) throws IOException {
        HealthRegistry registry = registryBuilder().build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry));

        HttpResponse<String> response = server.get("/ops/health/detailed", "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).contains("disabled");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void detailedRejectsAMissingOrWrongToken(TestServer.Kind kind) {
        TestServer server = start(kind);

        HttpResponse<String> missing = server.get("/ops/health/detailed");
        HttpResponse<String> wrong = server.get("/ops/health/detailed", "Authorization", "Bearer wrong-token-of-some-length");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void detailedListsEveryCheckInHealthJsonShape(TestServer.Kind kind) throws IOException {
        cache.set(HealthCheckResult.degraded("serving from memory").withDetail("hits", 3)
                .withDetail(HealthChecks.OBSERVED_VALUE, 12.5).withDetail(HealthChecks.OBSERVED_UNIT, "ms"));
        TestServer server = start(kind);

        HttpResponse<String> response = server.get("/ops/health/detailed", "Authorization", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode checks = json(response).get("checks");
        assertThat(checks.fieldNames()).toIterable().containsExactly("database", "cache", "threads");
        JsonNode cacheCheck = checks.get("cache").get(0);
        assertThat(cacheCheck.get("status").asText()).isEqualTo("warn");
        assertThat(cacheCheck.get("componentType").asText()).isEqualTo("component");
        assertThat(cacheCheck.get("output").asText()).isEqualTo("serving from memory");
        assertThat(cacheCheck.get("time").asText()).isEqualTo(clock.now().toString());
        assertThat(cacheCheck.get("lastChange").asText()).isEqualTo(clock.now().toString());
        assertThat(cacheCheck.get("critical").asBoolean()).isFalse();
        assertThat(cacheCheck.get("details").get("hits").asInt()).isEqualTo(3);
        assertThat(cacheCheck.get("observedValue").asDouble()).isEqualTo(12.5);
        assertThat(cacheCheck.get("observedUnit").asText()).isEqualTo("ms");
        assertThat(cacheCheck.get("details").has(HealthChecks.OBSERVED_VALUE)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void kubernetesAliasesLivezAndReadyzAnswerLikeLiveAndReady(TestServer.Kind kind) throws IOException {
        database.set(HealthCheckResult.down("connection refused"));
        TestServer server = start(kind);

        Map<String, String> aliases = Map.of("/ops/livez", "/ops/health/live", "/ops/readyz/", "/ops/health/ready");

        aliases.forEach((alias, original) -> {
            HttpResponse<String> byAlias = server.get(alias);
            HttpResponse<String> byOriginal = server.get(original);
            assertThat(byAlias.statusCode()).as(alias).isEqualTo(byOriginal.statusCode());
            assertThat(byAlias.body()).as(alias).isEqualTo(byOriginal.body());
        });
        assertThat(server.get("/ops/readyz").statusCode()).isEqualTo(503);
        assertThat(server.get("/ops/livez").statusCode()).isEqualTo(200);
        assertThat(server.post("/ops/livez").statusCode()).isEqualTo(405);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void actuatorFormatUsesUpDownAndComponents(TestServer.Kind kind) throws IOException {
        database.set(HealthCheckResult.down("connection refused"));
        HealthRegistry registry = registryBuilder().build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).format(HealthFormat.ACTUATOR)
                .sensitiveAccess(EndpointAccess.open()));

        HttpResponse<String> response = server.get("/ops/health/detailed");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("components").get("database").get("status").asText()).isEqualTo("DOWN");
        assertThat(body.get("components").get("database").get("details").get("message").asText())
                .isEqualTo("connection refused");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void actuatorFormatUsesOnlyActuatorStatusesAndListsComponentsAndGroups(TestServer.Kind kind) throws IOException {
        cache.set(HealthCheckResult.degraded("serving from memory"));
        HealthRegistry registry = registryBuilder()
                .check("migrations", HealthCheckResult::up, CheckOptions.defaults().withGroups("startup")).build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).format(HealthFormat.ACTUATOR)
                .sensitiveAccess(EndpointAccess.open()));

        HttpResponse<String> overall = server.get("/ops/health");
        HttpResponse<String> readiness = server.get("/ops/health/readiness");
        HttpResponse<String> detailed = server.get("/ops/health/detailed");

        assertThat(overall.statusCode()).isEqualTo(200);
        JsonNode body = json(overall);
        assertThat(body.get("status").asText()).as("DEGRADED is not an Actuator status").isEqualTo("UP");
        assertThat(body.get("components").get("cache").get("status").asText()).isEqualTo("UP");
        assertThat(body.get("components").get("cache").has("details")).as("details only when detailed").isFalse();
        assertThat(body.get("components").fieldNames()).toIterable()
                .containsExactly("database", "cache", "threads", "migrations");
        assertThat(body.get("groups")).extracting(JsonNode::asText)
                .containsExactly("liveness", "readiness", "startup");
        assertThat(json(readiness).get("components").fieldNames()).toIterable().containsExactly("database", "cache");
        assertThat(json(detailed).get("components").get("cache").get("details").get("degraded").asBoolean()).isTrue();
        assertThat(List.of(overall.body(), readiness.body(), detailed.body()))
                .allSatisfy(text -> assertThat(text).doesNotContain("DEGRADED"));
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void aThrowingCheckIsDownWithItsMessageAndNoStackTrace(TestServer.Kind kind) throws IOException {
        HealthRegistry registry = HealthRegistry.builder().clock(clock).scheduler(scheduler)
                .check("broken", () -> {
                    throw new IllegalStateException("pool exhausted");
                }).build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).sensitiveAccess(EndpointAccess.open()));

        HttpResponse<String> response = server.get("/ops/health/detailed");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("checks").get("broken").get(0).get("output").asText()).isEqualTo("pool exhausted");
        assertThat(response.body()).doesNotContain("at dev.resilience").doesNotContain("IllegalStateException");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void aHangingCheckIsDownAfterItsTimeoutWithoutBlockingOtherProbes(TestServer.Kind kind) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        closeables.add(never::countDown);
        HealthRegistry registry = HealthRegistry.builder().clock(clock).scheduler(scheduler)
                .check("hangs", () -> {
                    never.await();
                    return HealthCheckResult.up();
                }, CheckOptions.defaults().withTimeout(Duration.ofSeconds(2)))
                .check("alive", HealthCheckResult::up, CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS))
                .build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).sensitiveAccess(EndpointAccess.open()));

        CompletableFuture<HttpResponse<String>> waiting = server.getAsync("/ops/health/ready");
        await().until(() -> scheduler.pendingTasks() > 0);
        HttpResponse<String> live = server.get("/ops/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(waiting).isNotDone();
        scheduler.advance(Duration.ofSeconds(2));
        HttpResponse<String> ready = waiting.get();

        assertThat(ready.statusCode()).isEqualTo(503);
        HttpResponse<String> detailed = server.get("/ops/health/detailed");
        assertThat(json(detailed).get("checks").get("hangs").get(0).get("output").asText())
                .isEqualTo("timed out after PT2S");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void aHundredConcurrentProbesRunTheCheckOnce(TestServer.Kind kind) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        closeables.add(release::countDown);
        HealthRegistry registry = HealthRegistry.builder().clock(clock).scheduler(scheduler)
                .check("database", () -> {
                    runs.incrementAndGet();
                    release.await();
                    return HealthCheckResult.up();
                }).build();
        closeables.add(registry);
        RequestMetrics metrics = RequestMetrics.builder(meters).build();
        TestServer server = kind.start(HealthEndpoints.builder(registry).prefix("/ops").build(), metrics);
        closeables.add(server);

        List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            probes.add(server.getAsync("/ops/health"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> metrics.inFlight() == 100);
        release.countDown();

        for (CompletableFuture<HttpResponse<String>> probe : probes) {
            assertThat(probe.get().statusCode()).isEqualTo(200);
        }
        assertThat(runs).hasValue(1);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void metricsServesThePrometheusTextFormat(TestServer.Kind kind) {
        TestServer server = start(kind);
        server.get("/api/orders/42");

        // the JDK server answers before its filters return, so the request may be recorded a moment later
        HttpResponse<String> response = await().until(() -> server.get("/ops/metrics"),
                r -> r.body().contains("uri=\"/api/orders/{id}\""));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(response.body()).contains("http_server_requests_seconds_count{")
                .contains("uri=\"/api/orders/{id}\"").contains("quantile=\"0.95\"");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void metricsByNameServesTheSampledHistory(TestServer.Kind kind) throws IOException {
        HealthRegistry registry = registryBuilder().build();
        registry.bindTo(meters);
        MetricSampler sampler = MetricSampler.builder(meters).clock(clock).scheduler(scheduler).build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).sampler(sampler));
        server.get("/ops/health");
        sampler.sample();
        clock.advance(Duration.ofSeconds(10));
        sampler.sample();

        HttpResponse<String> response = server.get("/ops/metrics/health.score");
        HttpResponse<String> unknown = server.get("/ops/metrics/no.such.meter");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode series = json(response).get("series").get(0);
        assertThat(series.get("statistics").get(0).asText()).isEqualTo("value");
        assertThat(series.get("samples")).hasSize(2);
        assertThat(series.get("samples").get(1).get("values").get(0).asDouble()).isEqualTo(100.0);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void alertsListFiringAlertsAndResolveAcknowledgesThem(TestServer.Kind kind) throws IOException {
        database.set(HealthCheckResult.down("connection refused"));
        HealthRegistry registry = registryBuilder().build();
        AlertMonitor monitor = AlertMonitor.builder(meters).health(registry).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).rule(AlertRules.checkDown("DatabaseDown", "database", Duration.ZERO)).build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).alerts(monitor)
                .sensitiveAccess(EndpointAccess.token(TOKEN)));
        monitor.evaluate();

        JsonNode firing = json(server.get("/ops/alerts")).get("alerts").get(0);
        assertThat(firing.get("state").asText()).isEqualTo("firing");
        assertThat(firing.get("severity").asText()).isEqualTo("critical");
        String id = firing.get("id").asText();

        assertThat(server.post("/ops/alerts/" + id + "/resolve").statusCode()).isEqualTo(401);
        HttpResponse<String> resolved = server.post("/ops/alerts/" + id + "/resolve", "Authorization", "Bearer " + TOKEN);
        assertThat(resolved.statusCode()).isEqualTo(200);
        assertThat(json(resolved).get("state").asText()).isEqualTo("resolved");
        assertThat(json(resolved).get("acknowledged").asBoolean()).isTrue();
        assertThat(json(server.get("/ops/alerts")).get("alerts").get(0).get("state").asText()).isEqualTo("resolved");
        assertThat(server.post("/ops/alerts/nope-1/resolve", "Authorization", "Bearer " + TOKEN).statusCode())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void unknownPathsAre404WithAJsonError(TestServer.Kind kind) throws IOException {
        TestServer server = start(kind);

        HttpResponse<String> response = server.get("/ops/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(json(response).get("error").asText()).isEqualTo("no endpoint at /ops/nothing-here");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void wrongMethodsAre405WithAllow(TestServer.Kind kind) {
        HealthRegistry registry = registryBuilder().build();
        AlertMonitor monitor = AlertMonitor.builder(meters).executor(Runnable::run).build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry).alerts(monitor));

        HttpResponse<String> postHealth = server.post("/ops/health");
        HttpResponse<String> getResolve = server.get("/ops/alerts/x-1/resolve");

        assertThat(postHealth.statusCode()).isEqualTo(405);
        assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(getResolve.statusCode()).isEqualTo(405);
        assertThat(getResolve.headers().firstValue("Allow")).hasValue("POST");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void customGroupsHaveTheirOwnEndpoint(TestServer.Kind kind) throws IOException {
        HealthRegistry registry = registryBuilder()
                .check("migrations", () -> HealthCheckResult.down("pending"), CheckOptions.defaults().withGroups("startup"))
                .build();
        TestServer server = start(kind, registry, HealthEndpoints.builder(registry));

        HttpResponse<String> startup = server.get("/ops/health/startup");
        HttpResponse<String> unknown = server.get("/ops/health/nosuchgroup");

        assertThat(startup.statusCode()).isEqualTo(503);
        assertThat(json(startup).get("status").asText()).isEqualTo("fail");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void headAnswersTheStatusWithoutABody(TestServer.Kind kind) throws Exception {
        database.set(HealthCheckResult.down("connection refused"));
        TestServer server = start(kind);

        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.uri("/ops/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEmpty();
    }
}
