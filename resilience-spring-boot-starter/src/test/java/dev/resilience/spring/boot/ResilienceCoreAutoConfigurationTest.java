package dev.resilience.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.micrometer.ResilienceRegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ResilienceCoreAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceCoreAutoConfiguration.class));

    @Test
    void instancesTakeTheirSharedConfigurationFromNestedMapKeys() {
        runner.withPropertyValues(
                        "resilience.retry.configs.patient.max-attempts=5",
                        "resilience.retry.configs.patient.backoff=none",
                        "resilience.retry.instances.inventory.base-config=patient",
                        "resilience.retry.instances.payments.base-config=patient",
                        "resilience.retry.instances.payments.max-attempts=2")
                .run(context -> {
                    ResilienceRegistry registry = context.getBean(ResilienceRegistry.class);
                    assertThat(attemptsUntilGivingUp(registry, "inventory")).isEqualTo(5);
                    assertThat(attemptsUntilGivingUp(registry, "payments")).isEqualTo(2);
                });
    }

    @Test
    void defaultConfigurationAppliesToInstancesThatNameNoneAndRelaxedNamesBind() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.configs.default.minimumNumberOfCalls=2",
                        "resilience.circuitbreaker.configs.default.count-based-window=2",
                        "resilience.circuitbreaker.instances.upstream.failure-rate-threshold=50",
                        "resilience.circuitbreaker.instances.upstream.open-duration=30s")
                .run(context -> {
                    CircuitBreaker breaker = context.getBean(ResilienceRegistry.class).circuitBreaker("upstream");
                    for (int i = 0; i < 2; i++) {
                        assertThatThrownBy(() -> breaker.call(() -> {
                            throw new IOException("down");
                        })).isInstanceOf(IOException.class);
                    }
                    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
                    assertThatThrownBy(() -> breaker.call(() -> "x")).isInstanceOf(CallNotPermittedException.class);
                });
    }

    @Test
    void valueOutOfRangeFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.circuitbreaker.configs.default.failure-rate-threshold=150")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.circuitbreaker.configs.default.failure-rate-threshold=150")
                        .hasStackTraceContaining("percentage"));
    }

    @Test
    void valueThatDoesNotConvertFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.retry.instances.payments.max-attempts=three")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.retry.instances.payments.max-attempts"));
    }

    @Test
    void misspelledKeyFailsStartUpNamingIt() {
        runner.withPropertyValues("resilience.retry.instances.payments.max-atempts=3")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.retry.instances.payments.max-atempts"));
    }

    @Test
    void unknownBaseConfigurationFailsStartUpNamingIt() {
        runner.withPropertyValues("resilience.timeout.instances.slow.base-config=missing")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("missing").hasStackTraceContaining("slow"));
    }

    @Test
    void baseConfigOnAConfigurationFailsStartUpNamingIt() {
        runner.withPropertyValues("resilience.retry.configs.patient.base-config=default")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.retry.configs.patient.base-config"));
    }

    @Test
    void keysOfOtherModulesAreLeftToThem() {
        runner.withPropertyValues("resilience.pool.slow-query-threshold=1s", "resilience.ratelimit.rules[0].route=/x")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ResilienceRegistry.class));
    }

    @Test
    void theApplicationsOwnRegistryWins() {
        ResilienceRegistry own = ResilienceRegistry.ofDefaults();
        runner.withBean(ResilienceRegistry.class, () -> own)
                .withPropertyValues("resilience.retry.instances.payments.max-attempts=2")
                .run(context -> assertThat(context.getBean(ResilienceRegistry.class)).isSameAs(own));
    }

    @Test
    void customizersAddWhatPropertiesCannotSay() {
        AtomicInteger events = new AtomicInteger();
        runner.withBean(ResilienceRegistryCustomizer.class,
                        () -> builder -> builder.retryConfig("default", b -> b.listener(event -> events.incrementAndGet())))
                .withPropertyValues("resilience.retry.configs.default.backoff=none")
                .run(context -> {
                    attemptsUntilGivingUp(context.getBean(ResilienceRegistry.class), "any");
                    assertThat(events).hasPositiveValue();
                });
    }

    @Test
    void everyPolicyIsCountedOnceWhenActuatorBindsTheMetrics() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class))
                .withPropertyValues("resilience.retry.instances.payments.max-attempts=2")
                .run(context -> {
                    assertThat(context).hasSingleBean(ResilienceRegistryMetrics.class);
                    context.getBean(ResilienceRegistry.class).retry("payments").call(() -> "ok");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.get("resilience.retry.calls").tag("name", "payments")
                            .tag("result", "success_without_retry").counter().count()).isEqualTo(1.0);
                });
    }

    @Test
    void withoutActuatorTheApplicationsMeterRegistryIsBound() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .withUserConfiguration(OwnMeterRegistry.class)
                .run(context -> {
                    context.getBean(ResilienceRegistry.class).circuitBreaker("upstream").call(() -> "ok");
                    SimpleMeterRegistry meters = context.getBean(SimpleMeterRegistry.class);
                    assertThat(meters.get("resilience.circuitbreaker.calls").tag("name", "upstream")
                            .tag("result", "success").counter().count()).isEqualTo(1.0);
                });
    }

    @Test
    void noMeterRegistryNoBinder() {
        runner.run(context -> assertThat(context).hasSingleBean(ResilienceRegistry.class)
                .doesNotHaveBean(ResilienceRegistryMetrics.class));
    }

    @Test
    void withoutMicrometerOnTheClasspathTheRegistryStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> assertThat(context).hasSingleBean(ResilienceRegistry.class)
                        .doesNotHaveBean("resilienceRegistryMetrics"));
    }

    private static int attemptsUntilGivingUp(ResilienceRegistry registry, String name) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> registry.retry(name).call(() -> {
            attempts.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        return attempts.get();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMeterRegistry {
        @Bean
        SimpleMeterRegistry simpleMeterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
