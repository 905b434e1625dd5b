package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheckResult;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The request metrics middleware on both server types, over real HTTP. */
class RequestMetricsHttpIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HealthRegistry health = HealthRegistry.builder().check("ok", HealthCheckResult::up).build();
    private final RequestMetrics metrics = RequestMetrics.builder(meters)
            .routes("/api/orders/{id}", "/api/orders/export", "/api/fail", "/async/job").build();
    private TestServer server;

    @AfterEach
    void close() throws Exception {
        server.close();
        health.close();
    }

    private void start(TestServer.Kind kind) {
        server = kind.start(HealthEndpoints.builder(health).prefix("/ops").build(), metrics);
    }

    /** The JDK server sends the response before its filters return, so the timer may lag the response. */
    private Timer timer(String uri, String status, long count) {
        return await().until(() -> meters.find("http.server.requests").tag("uri", uri).tag("status", status).timer(),
                timer -> timer != null && timer.count() == count);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void requestsAreTaggedWithTheirRouteTemplateNotTheRawPath(TestServer.Kind kind) {
        start(kind);

        server.get("/api/orders/1");
        server.get("/api/orders/2");
        server.get("/api/orders/export");

        Timer byId = timer("/api/orders/{id}", "200", 2);
        assertThat(byId.getId().getTag("method")).isEqualTo("GET");
        assertThat(byId.getId().getTag("outcome")).isEqualTo("SUCCESS");
        assertThat(byId.getId().getTag("exception")).isEqualTo("none");
        assertThat(timer("/api/orders/export", "200", 1).count()).isEqualTo(1);
        assertThat(meters.find("http.server.requests").timers()).extracting(t -> t.getId().getTag("uri"))
                .doesNotContain("/api/orders/1", "/api/orders/2");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void unknownRoutesAreGroupedAsNotFound(TestServer.Kind kind) {
        start(kind);

        server.get("/api/users/123");
        server.get("/api/users/456");

        assertThat(timer("NOT_FOUND", "404", 2).getId().getTag("outcome")).isEqualTo("CLIENT_ERROR");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void serverErrorsAreRecordedWithTheirOutcome(TestServer.Kind kind) {
        start(kind);

        server.get("/api/fail");

        assertThat(timer("/api/fail", "500", 1).getId().getTag("outcome")).isEqualTo("SERVER_ERROR");
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void routesPublishP50P95AndP99OverAllTheirOutcomes(TestServer.Kind kind) {
        start(kind);

        server.get("/api/fail");
        timer("/api/fail", "500", 1);

        assertThat(meters.find("http.server.requests.latency").tag("uri", "/api/fail").tag("method", "GET").gauges())
                .extracting(gauge -> gauge.getId().getTag("quantile")).containsExactlyInAnyOrder("0.5", "0.95", "0.99");
        assertThat(meters.get("http.server.requests.error.ratio").gauge().value()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void inFlightRequestsAreCountedWhileTheyRun(TestServer.Kind kind) throws Exception {
        start(kind);

        var slow = server.getAsync("/api/slow");
        server.slowStarted.await();

        assertThat(metrics.inFlight()).isEqualTo(1);
        assertThat(meters.get("http.server.requests.active").gauge().value()).isEqualTo(1.0);
        server.releaseSlow.countDown();
        assertThat(slow.get().statusCode()).isEqualTo(200);
        await().until(() -> metrics.inFlight() == 0);
    }

    @Test
    void asynchronousServletRequestsAreRecordedWhenTheyComplete() {
        start(TestServer.Kind.JETTY);

        assertThat(server.get("/async/job").statusCode()).isEqualTo(202);

        assertThat(timer("/async/job", "202", 1).getId().getTag("outcome")).isEqualTo("SUCCESS");
        await().until(() -> metrics.inFlight() == 0);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthProbesAreNotRecordedAndStayOutOfTheErrorRate(TestServer.Kind kind) {
        start(kind);

        for (String probe : new String[] {"/ops/health", "/ops/health/ready", "/ops/health/live", "/ops/livez",
                "/ops/readyz", "/ops/health/ready"}) {
            assertThat(server.get(probe).statusCode()).as(probe).isEqualTo(200);
        }
        server.get("/api/fail");
        timer("/api/fail", "500", 1);
        await().until(() -> metrics.inFlight() == 0);

        assertThat(meters.find("http.server.requests").timers()).extracting(t -> t.getId().getTag("uri"))
                .containsExactly("/api/fail");
        assertThat(meters.get("http.server.requests.error.ratio").gauge().value()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthProbesAreRecordedUnderTheirRouteWhenAsked(TestServer.Kind kind) {
        RequestMetrics recording = RequestMetrics.builder(meters).recordHealthProbes(true).build();
        server = kind.start(HealthEndpoints.builder(health).prefix("/ops").build(), recording);

        server.get("/ops/health/ready");
        server.get("/ops/health/live");
        server.get("/ops/readyz");

        assertThat(timer("/ops/health/{group}", "200", 2).count()).isEqualTo(2);
        assertThat(timer("/ops/readyz", "200", 1).count()).isEqualTo(1);
    }
}
