package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GracefulShutdownIT {

    private final ManualScheduler sleeper = new ManualScheduler(new ManualClock());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestMetrics requests = RequestMetrics.builder(meters).build();
    private final HealthRegistry health = HealthRegistry.builder().check("db", HealthCheckResult::up).build();
    private final List<String> closed = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        health.close();
    }

    private GracefulShutdown shutdown(Duration timeout) {
        return GracefulShutdown.builder().health(health).requests(requests).sleeper(sleeper)
                .drainDelay(Duration.ofSeconds(5)).timeout(timeout)
                .resource("pool", () -> closed.add("pool"))
                .resource("http server", () -> closed.add("http server"))
                .build();
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void waitsForTheInFlightRequestAndRefusesNewOnes(TestServer.Kind kind) throws Exception {
        try (TestServer server = kind.start(HealthEndpoints.builder(health).prefix("/ops").build(), requests)) {
            CompletableFuture<HttpResponse<String>> slow = server.getAsync("/api/slow");
            server.slowStarted.await();
            GracefulShutdown shutdown = shutdown(Duration.ofSeconds(30));

            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(shutdown::shutdown);
            await().until(() -> !requests.isAccepting());
            HttpResponse<String> refused = server.get("/api/orders/1");

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(health.isMarkedNotReady()).isTrue();
            assertThat(done).isNotDone();
            assertThat(closed).isEmpty();
            server.releaseSlow.countDown();
            assertThat(done.get()).isTrue();
            assertThat(slow.get().statusCode()).isEqualTo(200);
            assertThat(closed).containsExactly("http server", "pool");
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Kind.class)
    void healthAnswers503OutOfServiceAsSoonAsTheShutdownStarts(TestServer.Kind kind) throws Exception {
        CountDownLatch draining = new CountDownLatch(1);
        CountDownLatch endDrain = new CountDownLatch(1);
        GracefulShutdown shutdown = GracefulShutdown.builder().health(health).requests(requests)
                .sleeper(delay -> {
                    draining.countDown();
                    endDrain.await();
                }).build();
        try (TestServer server = kind.start(HealthEndpoints.builder(health).prefix("/ops").build(), requests);
                TestServer actuator = kind.start(HealthEndpoints.builder(health).prefix("/ops")
                        .format(HealthFormat.ACTUATOR).build(), RequestMetrics.builder(meters).build())) {
            assertThat(server.get("/ops/health").statusCode()).isEqualTo(200);

            CompletableFuture<Boolean> done = CompletableFuture.supplyAsync(shutdown::shutdown);
            draining.await();
            HttpResponse<String> overall = server.get("/ops/health");
            HttpResponse<String> actuatorHealth = actuator.get("/ops/health");
            HttpResponse<String> ready = server.get("/ops/health/ready");
            HttpResponse<String> live = server.get("/ops/health/live");
            endDrain.countDown();
            done.get();

            assertThat(overall.statusCode()).isEqualTo(503);
            assertThat(overall.body()).contains("\"status\":\"fail\"").contains("out of service: shutting down");
            assertThat(actuatorHealth.statusCode()).isEqualTo(503);
            assertThat(actuatorHealth.body()).contains("\"status\":\"OUT_OF_SERVICE\"");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(live.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void waitsTheDrainDelayBeforeRefusingRequests() {
        shutdown(Duration.ZERO).shutdown();

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
        assertThat(requests.isAccepting()).isFalse();
        assertThat(health.report(HealthRegistry.READINESS).isOutOfService()).isTrue();
    }

    @Test
    void closesResourcesAnywayWhenRequestsOutliveTheTimeout() {
        requests.begin();

        boolean drained = shutdown(Duration.ZERO).shutdown();

        assertThat(drained).isFalse();
        assertThat(closed).containsExactly("http server", "pool");
    }

    @Test
    void aFailingResourceDoesNotStopTheOthersFromClosing() {
        GracefulShutdown shutdown = GracefulShutdown.builder().sleeper(sleeper).drainDelay(Duration.ZERO)
                .resource("pool", () -> closed.add("pool"))
                .resource("broken", () -> {
                    throw new IllegalStateException("already closed");
                }).build();

        shutdown.shutdown();

        assertThat(closed).containsExactly("pool");
    }

    @Test
    void runsOnlyOnce() {
        GracefulShutdown shutdown = shutdown(Duration.ZERO);
        shutdown.shutdown();

        shutdown.shutdown();

        assertThat(closed).hasSize(2);
        assertThat(shutdown.isShuttingDown()).isTrue();
    }
}
