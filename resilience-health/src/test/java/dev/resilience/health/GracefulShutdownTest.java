package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GracefulShutdownTest {

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

    @Test
    void waitsTheDrainDelayBeforeRefusingRequests() {
        shutdown(Duration.ZERO).shutdown();

        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(5));
        assertThat(requests.isAccepting()).isFalse();
        assertThat(health.report(HealthRegistry.READINESS).status()).isEqualTo(HealthStatus.DOWN);
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
