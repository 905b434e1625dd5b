package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.health.internal.EndpointRequest;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthRegistryTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicReference<HealthCheckResult> result = new AtomicReference<>(HealthCheckResult.up());
    private final HealthCheck counting = () -> {
        runs.incrementAndGet();
        return result.get();
    };
    private HealthRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private HealthRegistry.Builder builder() {
        return HealthRegistry.builder().clock(clock).scheduler(scheduler).cacheTtl(Duration.ofSeconds(5));
    }

    private CheckReport only(HealthReport report) {
        return report.checks().get(0);
    }

    @Test
    void servesTheCachedResultWithinTheTtl() {
        registry = builder().check("db", counting).build();

        registry.report();
        clock.advance(Duration.ofSeconds(4));
        registry.report();

        assertThat(runs).hasValue(1);
    }

    @Test
    void servesTheStaleResultAndRefreshesOnceInTheBackgroundAfterTheTtl() {
        registry = builder().check("db", counting).build();
        registry.report();
        result.set(HealthCheckResult.down("gone"));
        clock.advance(Duration.ofSeconds(5));

        HealthReport stale = registry.report();

        assertThat(stale.status()).isEqualTo(HealthStatus.UP);
        await().until(() -> registry.report().status() == HealthStatus.DOWN);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aProbeDoesNotWaitForASlowRefresh() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        registry = builder().check("db", () -> {
            if (runs.incrementAndGet() > 1) {
                release.await();
            }
            return HealthCheckResult.up();
        }).build();
        registry.report();
        clock.advance(Duration.ofSeconds(5));

        HealthReport report = registry.report();
        await().until(() -> runs.get() == 2);
        HealthReport again = registry.report();
        release.countDown();

        assertThat(report.status()).isEqualTo(HealthStatus.UP);
        assertThat(again.status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void keepsTheTimeOfTheLastStatusChange() {
        registry = builder().cacheTtl(Duration.ZERO).check("db", counting).build();
        Instant first = clock.now();
        registry.report();
        clock.advance(Duration.ofSeconds(10));
        registry.report();
        await().until(() -> runs.get() == 2);
        assertThat(only(registry.report()).lastChange()).isEqualTo(first);

        result.set(HealthCheckResult.down("gone"));
        clock.advance(Duration.ofSeconds(10));
        Instant changed = clock.now();
        registry.report();
        await().until(() -> only(registry.report()).status() == HealthStatus.DOWN);

        assertThat(only(registry.report()).lastChange()).isEqualTo(changed);
    }

    @Test
    void aHangingCheckIsNotStartedAgainWhileItsCodeStillRuns() {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        HealthCheck stuck = hangingForever(started, never);
        registry = builder().cacheTtl(Duration.ZERO).check("stuck", () -> {
            runs.incrementAndGet();
            return stuck.check();
        }, CheckOptions.defaults().withTimeout(Duration.ofSeconds(1))).build();
        Thread probe = new Thread(registry::report);
        probe.start();
        await().until(() -> runs.get() == 1 && scheduler.pendingTasks() == 1);
        scheduler.advance(Duration.ofSeconds(1));
        await().until(() -> !probe.isAlive());

        HealthReport afterTimeout = registry.report();
        await().until(() -> "check still running after its timeout of PT1S".equals(only(registry.report()).message()));

        assertThat(only(afterTimeout).status()).isEqualTo(HealthStatus.DOWN);
        assertThat(runs).hasValue(1);
        never.countDown();
    }

    /** A check that never returns and swallows every interrupt; counts its starts. */
    private static HealthCheck hangingForever(CountDownLatch started, CountDownLatch release) {
        return () -> {
            started.countDown();
            boolean released = false;
            while (!released) {
                try {
                    release.await();
                    released = true;
                } catch (InterruptedException ignoredOnPurpose) {
                    // a badly written check that swallows interrupts
                }
            }
            return HealthCheckResult.up();
        };
    }

    @Test
    void fourHungChecksDoNotStarveAHealthyCriticalOne() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(4);
        HealthRegistry.Builder builder = builder();
        CheckOptions hung = CheckOptions.defaults().withCritical(false).withTimeout(Duration.ofSeconds(1));
        for (int i = 1; i <= 4; i++) {
            builder.check("starved-test-hung-" + i, hangingForever(started, release), hung);
        }
        registry = builder.check("database", counting).build();
        HealthEndpoints endpoints = HealthEndpoints.builder(registry).build();
        try {
            Thread probe = new Thread(registry::report);
            probe.start();
            await().until(() -> started.getCount() == 0 && runs.get() == 1);
            scheduler.advance(Duration.ofSeconds(1));
            await().until(() -> !probe.isAlive());

            for (int round = 1; round <= 3; round++) {
                clock.advance(Duration.ofSeconds(5));
                registry.report();
                await().until(() -> registry.report().checks().get(4).checkedAt().equals(clock.now()));
                assertThat(registry.report().checks().get(4).status()).isEqualTo(HealthStatus.UP);
            }
            assertThat(runs).hasValue(4);

            HealthReport report = registry.report();
            assertThat(report.checks().subList(0, 4)).allSatisfy(check -> {
                assertThat(check.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(check.message()).contains("PT1S");
            });
            assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(endpoints.handle(new EndpointRequest("GET", "/health", header -> null)).status())
                    .isEqualTo(200);
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().contains("starved-test-hung-"))
                    .as("one thread pinned per hung check, never a second one").hasSize(4);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDownNonCriticalCheckMakesTheServiceDegraded() {
        registry = builder().check("db", HealthCheckResult::up)
                .check("cache", () -> HealthCheckResult.down("gone"), CheckOptions.defaults().withCritical(false)).build();

        HealthReport report = registry.report();

        assertThat(report.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(report.score()).isEqualTo(67);
    }

    @Test
    void aDownCriticalCheckMakesTheServiceDownAndCapsTheScore() {
        HealthRegistry.Builder builder = builder().check("db", () -> HealthCheckResult.down("gone"));
        for (int i = 0; i < 5; i++) {
            builder.check("extra" + i, HealthCheckResult::up, CheckOptions.defaults().withCritical(false));
        }
        registry = builder.build();

        HealthReport report = registry.report();

        assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(report.score()).isEqualTo(49);
    }

    @Test
    void aDegradedCheckScoresHalf() {
        registry = builder().check("db", () -> HealthCheckResult.degraded("slow")).build();

        assertThat(registry.report().score()).isEqualTo(50);
    }

    @Test
    void anEmptyRegistryIsUpWithFullScore() {
        registry = builder().build();

        assertThat(registry.report().status()).isEqualTo(HealthStatus.UP);
        assertThat(registry.report().score()).isEqualTo(100);
    }

    @Test
    void groupsSelectTheirChecks() {
        registry = builder().check("db", () -> HealthCheckResult.down("gone"))
                .check("deadlocks", HealthCheckResult::up, CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS))
                .build();

        assertThat(registry.report(HealthRegistry.LIVENESS).status()).isEqualTo(HealthStatus.UP);
        assertThat(registry.report(HealthRegistry.READINESS).status()).isEqualTo(HealthStatus.DOWN);
        assertThat(registry.groups()).containsExactly(HealthRegistry.LIVENESS, HealthRegistry.READINESS);
    }

    @Test
    void markNotReadyTakesTheServiceAndReadinessOutOfServiceButNotLiveness() {
        registry = builder().check("db", HealthCheckResult::up,
                CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS, HealthRegistry.READINESS)).build();

        registry.markNotReady("maintenance window");

        HealthReport overall = registry.report();
        assertThat(overall.isOutOfService()).isTrue();
        assertThat(overall.isServing()).isFalse();
        assertThat(overall.outOfServiceReason()).isEqualTo("maintenance window");
        assertThat(overall.status()).as("the checks' own status").isEqualTo(HealthStatus.UP);
        assertThat(overall.score()).isEqualTo(49);
        assertThat(registry.report(HealthRegistry.READINESS).isServing()).isFalse();
        assertThat(registry.report(HealthRegistry.LIVENESS).isServing()).isTrue();
    }

    @Test
    void markReadyPutsTheServiceBackInServiceAfterWarmUp() {
        registry = builder().check("db", HealthCheckResult::up).build();
        registry.markNotReady("warming up");

        registry.markReady();

        assertThat(registry.isMarkedNotReady()).isFalse();
        assertThat(registry.report().isServing()).isTrue();
        assertThat(registry.report(HealthRegistry.READINESS).isOutOfService()).isFalse();
        assertThat(registry.report().score()).isEqualTo(100);
    }

    @Test
    void aPlannedWindowLowersTheScoreButNeitherTheStatusGaugeNorServiceDown() {
        registry = builder().check("db", HealthCheckResult::up).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry.bindTo(meters);
        registry.report();

        registry.markNotReady("maintenance window");

        assertThat(meters.get("health.score").gauge().value()).isEqualTo(49.0);
        assertThat(meters.get("health.status").gauge().value()).isEqualTo(1.0);
        assertThat(AlertRules.serviceDown().condition().isMet(new AlertContext(meters, registry::report, clock.now())))
                .isFalse();
    }

    @Test
    void refreshesInTheBackgroundOnTheSchedule() {
        registry = builder().refreshInBackground(Duration.ofSeconds(10)).check("db", counting).build();

        registry.start();
        await().until(() -> runs.get() == 1);
        scheduler.advance(Duration.ofSeconds(10));

        await().until(() -> runs.get() == 2);
    }

    @Test
    void publishesStatusScoreAndPerCheckGauges() {
        registry = builder().check("db", () -> HealthCheckResult.degraded("slow")).build();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        registry.bindTo(meters);
        registry.report();

        assertThat(meters.get("health.status").gauge().value()).isEqualTo(0.5);
        assertThat(meters.get("health.score").gauge().value()).isEqualTo(50.0);
        assertThat(meters.get("health.check.status").tag("check", "db").gauge().value()).isEqualTo(0.5);
    }

    @Test
    void rejectsInvalidConfigurationNamingTheParameter() {
        assertThatThrownBy(() -> builder().check("a b", counting))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name").hasMessageContaining("a b");
        assertThatThrownBy(() -> builder().check("db", counting).check("db", counting))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db");
        assertThatThrownBy(() -> builder().cacheTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cacheTtl");
        assertThatThrownBy(() -> CheckOptions.defaults().withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> CheckOptions.defaults().withGroups("Ready Now"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ready Now");
    }
}
