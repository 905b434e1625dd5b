package dev.resilience.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ResilienceHealthAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class,
                    ResilienceHealthAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
                    EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoint.health.probes.enabled=true",
                    "management.endpoint.health.show-details=always")
            .withBean("database", HealthCheck.class, () -> () -> HealthCheckResult.up().withDetail("pool", "primary"))
            .withBean("disk", HealthCheck.class, () -> () -> HealthCheckResult.degraded("18 % free"));

    /** The state Boot publishes once the application is ready (a bare context runner publishes none). */
    private static void serving(ApplicationContext context) {
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
    }

    @Test
    void everyHealthCheckBeanIsAComponentOfResilienceAndDegradedIsUpWithAMark() {
        runner.run(context -> {
            CompositeHealth resilience = (CompositeHealth) context.getBean(HealthEndpoint.class).healthForPath("resilience");
            assertThat(resilience.getComponents()).containsOnlyKeys("database", "disk");
            Health database = (Health) resilience.getComponents().get("database");
            assertThat(database.getStatus()).isEqualTo(Status.UP);
            assertThat(database.getDetails()).containsEntry("pool", "primary");
            Health disk = (Health) resilience.getComponents().get("disk");
            assertThat(disk.getStatus()).isEqualTo(Status.UP);
            assertThat(disk.getDetails()).containsEntry("degraded", true).containsEntry("message", "18 % free");
        });
    }

    @Test
    void aDownOrThrowingCheckIsDownAndTakesReadinessDownButNotLiveness() {
        runner.withBean("broken", HealthCheck.class, () -> () -> {
            throw new IllegalStateException("connection refused");
        }).run(context -> {
            serving(context);
            HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
            CompositeHealth readiness = (CompositeHealth) endpoint.healthForPath("readiness");
            assertThat(readiness.getStatus()).isEqualTo(Status.DOWN);
            assertThat(readiness.getComponents()).containsKeys("readinessState", "resilience");
            CompositeHealth liveness = (CompositeHealth) endpoint.healthForPath("liveness");
            assertThat(liveness.getStatus()).isEqualTo(Status.UP);
            assertThat(liveness.getComponents()).containsOnlyKeys("livenessState");
        });
    }

    @Test
    void circuitBreakersAreShownButKeptOutOfReadiness() {
        runner.withPropertyValues("resilience.circuitbreaker.instances.upstream.minimum-number-of-calls=1",
                        "resilience.circuitbreaker.instances.upstream.count-based-window=1")
                .run(context -> {
                    serving(context);
                    CircuitBreaker breaker = context.getBean(ResilienceRegistry.class).circuitBreaker("upstream");
                    breaker.transitionTo(CircuitBreaker.State.OPEN);
                    HealthEndpoint endpoint = context.getBean(HealthEndpoint.class);
                    HealthComponent breakers = endpoint.healthForPath("circuitBreakers", "upstream");
                    assertThat(breakers.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(endpoint.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(endpoint.healthForPath("readiness").getStatus()).isEqualTo(Status.UP);
                });
    }

    @Test
    void aReadinessGroupTheApplicationConfiguresIsLeftAsItIs() {
        runner.withPropertyValues("management.endpoint.health.group.readiness.include=readinessState")
                .run(context -> {
                    CompositeHealth readiness = (CompositeHealth) context.getBean(HealthEndpoint.class).healthForPath("readiness");
                    assertThat(readiness.getComponents()).containsOnlyKeys("readinessState");
                });
    }

    @Test
    void theApplicationsOwnContributorOfThatNameWins() {
        runner.withBean("resilienceHealthContributor", org.springframework.boot.actuate.health.HealthIndicator.class,
                        () -> () -> Health.outOfService().build())
                .run(context -> assertThat(context.getBean(HealthEndpoint.class).healthForPath("resilience").getStatus())
                        .isEqualTo(Status.OUT_OF_SERVICE));
    }

    @Test
    void turnedOffByTheUsualActuatorProperty() {
        runner.withPropertyValues("management.health.resilience.enabled=false", "management.health.circuitbreakers.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean("resilienceHealthContributor")
                            .doesNotHaveBean("circuitBreakersHealthContributor");
                    assertThat(context.getBean(HealthEndpoint.class).healthForPath("resilience")).isNull();
                });
    }

    @Test
    void withoutActuatorNothingIsConfigured() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class,
                        ResilienceHealthAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> assertThat(context).doesNotHaveBean(HealthChecksContributor.class)
                        .doesNotHaveBean(ReadinessGroupPostProcessor.class));
    }
}
