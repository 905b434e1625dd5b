package dev.resilience.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

class ResilienceShutdownTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class,
                    ResilienceShutdownAutoConfiguration.class, ResilienceHealthAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class, AvailabilityHealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.show-details=always")
            .withBean("database", HealthCheck.class, () -> () -> HealthCheckResult.up());

    private static void serving(ApplicationContext context) {
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    private static Status status(ApplicationContext context, String path) {
        return context.getBean(HealthEndpoint.class).healthForPath(path).getStatus();
    }

    /**
     * Stands in for Boot's WebServerGracefulShutdownLifecycle: same phase, records what the health endpoint says
     * when the web server would start draining.
     */
    private final class Drain implements SmartLifecycle, ApplicationContextAware {
        private ApplicationContext context;
        private volatile boolean running;

        @Override
        public void setApplicationContext(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            events.add("drain: resilience " + status(context, "resilience") + ", readiness "
                    + status(context, "readiness") + ", liveness " + status(context, "liveness") + ", state "
                    + context.getBean(ApplicationAvailability.class).getReadinessState());
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE;
        }
    }

    @Test
    void closingTheContextTakesReadinessDownBeforeTheWebServerDrainsAndClosesResourcesAfter() {
        runner.withBean("drain", Drain.class, Drain::new)
                .withBean("pool", AutoCloseable.class, () -> () -> events.add("pool closed"))
                .withBean("readinessRecorder", ApplicationListener.class,
                        () -> (ApplicationListener<AvailabilityChangeEvent<?>>) e -> {
                            if (e.getState() == ReadinessState.REFUSING_TRAFFIC) {
                                events.add("readiness REFUSING_TRAFFIC");
                            }
                        })
                .run(context -> {
                    serving(context);
                    assertThat(status(context, "readiness")).isEqualTo(Status.UP);
                    assertThat(((CompositeHealth) context.getBean(HealthEndpoint.class).healthForPath("resilience"))
                            .getComponents()).containsOnlyKeys("database");
                    context.close();
                    assertThat(events).containsExactly("readiness REFUSING_TRAFFIC",
                            "drain: resilience OUT_OF_SERVICE, readiness OUT_OF_SERVICE, liveness UP, state REFUSING_TRAFFIC",
                            "pool closed");
                });
    }

    @Test
    void outOfServiceShowsAsAShutdownComponentWithItsReason() {
        runner.run(context -> {
            serving(context);
            context.getBean(ReadinessShutdownLifecycle.class).stop();
            CompositeHealth resilience = (CompositeHealth) context.getBean(HealthEndpoint.class).healthForPath("resilience");
            assertThat(resilience.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            Health shutdown = (Health) resilience.getComponents().get(HealthChecksContributor.SHUTDOWN);
            assertThat(shutdown.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(shutdown.getDetails()).containsEntry("reason", "shutting down");
            assertThat(resilience.getComponents().get("database").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void aDownCheckStillShowsDownWhileOutOfService() {
        runner.withBean("broken", HealthCheck.class, () -> () -> HealthCheckResult.down("refused")).run(context -> {
            context.getBean(ReadinessShutdownLifecycle.class).stop();
            assertThat(status(context, "resilience")).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void theReadinessStepIsOffWhenDisabled() {
        runner.withPropertyValues("resilience.shutdown.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ReadinessShutdownLifecycle.class).doesNotHaveBean(OutOfService.class);
            assertThat(status(context, "resilience")).isEqualTo(Status.UP);
        });
    }

    @Test
    void aNegativeDrainDelayFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.shutdown.drain-delay=-1s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("resilience.shutdown.drain-delay must be 0 or more, was PT-1S");
        });
    }

    @Test
    void theApplicationsOwnLifecycleWins() {
        ReadinessShutdownLifecycle own = new ReadinessShutdownLifecycle(event -> { }, new OutOfService(),
                java.time.Duration.ofSeconds(7), dev.resilience.core.Sleeper.system());
        runner.withBean("myShutdown", ReadinessShutdownLifecycle.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(ReadinessShutdownLifecycle.class);
            assertThat(context.getBean(ReadinessShutdownLifecycle.class).drainDelay()).hasSeconds(7);
        });
    }

    @Test
    void theReadinessStepStopsJustBeforeBootsGracefulShutdown() {
        // lifecycles stop from the highest phase down
        assertThat(ReadinessShutdownLifecycle.PHASE).isEqualTo(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1);
        assertThat(ReadinessShutdownLifecycle.PHASE).isLessThan(SmartLifecycle.DEFAULT_PHASE);
    }
}
