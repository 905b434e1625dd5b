package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RegistryPropertiesTest {

    private static ResilienceRegistry registry(Map<String, String> properties) {
        return ResilienceRegistry.builder().properties(properties).build();
    }

    private static void failWith(CircuitBreaker breaker, Exception failure) {
        assertThatThrownBy(() -> breaker.call(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void bindsConfigurationsAndInstancesOfEveryKind() {
        ResilienceRegistry registry = registry(Map.of(
                "resilience.retry.configs.default.max-attempts", "5",
                "resilience.retry.instances.payments.max-attempts", "2",
                "resilience.retry.instances.payments.max-duration", "10s",
                "resilience.timeout.configs.default.duration", "PT2S",
                "resilience.timeout.instances.reports.duration", "1500",
                "resilience.bulkhead.instances.payments.max-concurrent-calls", "4",
                "resilience.bulkhead.instances.payments.max-wait", "250ms"));

        assertThat(registry.retry("payments").maxAttempts()).isEqualTo(2);
        assertThat(registry.retry("payments").maxDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(registry.retry("orders").maxAttempts()).isEqualTo(5);
        assertThat(registry.timeout("orders").duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(registry.timeout("reports").duration()).isEqualTo(Duration.ofMillis(1500));
        assertThat(registry.bulkhead("payments").maxConcurrentCalls()).isEqualTo(4);
    }

    @Test
    void circuitBreakerInstanceUsesItsBaseConfigAndOwnSettings() {
        ResilienceRegistry registry = registry(Map.of(
                "resilience.circuitbreaker.configs.default.count-based-window", "100",
                "resilience.circuitbreaker.configs.strict.count-based-window", "4",
                "resilience.circuitbreaker.configs.strict.minimum-number-of-calls", "4",
                "resilience.circuitbreaker.instances.payments.base-config", "strict",
                "resilience.circuitbreaker.instances.payments.failure-rate-threshold", "50",
                "resilience.circuitbreaker.instances.payments.record-on", "java.io.IOException"));
        CircuitBreaker payments = registry.circuitBreaker("payments");

        failWith(payments, new IllegalStateException("not recorded: counts as a success"));
        failWith(payments, new IOException("recorded"));
        failWith(payments, new IllegalStateException("not recorded"));
        assertThat(payments.state()).isEqualTo(State.CLOSED);
        failWith(payments, new IOException("recorded"));

        assertThat(payments.state()).isEqualTo(State.OPEN); // 2 of 4 = 50 %
    }

    @Test
    void readsJavaUtilProperties() {
        Properties properties = new Properties();
        properties.setProperty("resilience.retry.instances.payments.max-attempts", "6");

        ResilienceRegistry registry = ResilienceRegistry.builder().properties(properties).build();

        assertThat(registry.retry("payments").maxAttempts()).isEqualTo(6);
    }

    @Test
    void backoffKeysMakeOneBackoff() {
        ResilienceRegistry registry = registry(Map.of(
                "resilience.retry.instances.fixed.backoff", "fixed",
                "resilience.retry.instances.fixed.backoff-delay", "200ms",
                "resilience.retry.instances.exp.backoff-delay", "1s",
                "resilience.retry.instances.exp.backoff-multiplier", "3",
                "resilience.retry.instances.exp.backoff-max-delay", "5s",
                "resilience.retry.instances.exp.jitter", "none",
                "resilience.retry.instances.none.backoff", "none"));

        Backoff fixed = registry.retry("fixed").backoff();
        Backoff exponential = registry.retry("exp").backoff();

        assertThat(fixed.delay(3, Duration.ZERO)).isEqualTo(Duration.ofMillis(200));
        assertThat(exponential.delay(1, Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(exponential.delay(2, Duration.ZERO)).isEqualTo(Duration.ofSeconds(3));
        assertThat(exponential.delay(3, Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(registry.retry("none").backoff().delay(1, Duration.ZERO)).isEqualTo(Duration.ZERO);
    }

    @Test
    void keysOfOtherModulesAreLeftAlone() {
        ResilienceRegistry registry = registry(Map.of(
                "resilience.ratelimit.login.limit", "5",
                "resilience.pool.maximum-size", "20",
                "resilience.retry.instances.payments.max-attempts", "2"));

        assertThat(registry.retry("payments").maxAttempts()).isEqualTo(2);
    }

    @Test
    void aValueThatIsNotANumberIsRejectedNamingKeyAndValue() {
        assertThatThrownBy(() -> registry(Map.of("resilience.retry.instances.payments.max-attempts", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.instances.payments.max-attempts=many")
                .hasMessageContaining("whole number");
    }

    @Test
    void aValueTheBuilderRejectsIsRejectedNamingKeyValueAndReason() {
        assertThatThrownBy(() -> registry(Map.of("resilience.circuitbreaker.configs.default.failure-rate-threshold", "150")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.circuitbreaker.configs.default.failure-rate-threshold=150")
                .hasMessageContaining("failureRateThreshold must be a percentage");
    }

    @Test
    void aBadDurationIsRejectedNamingKeyAndValue() {
        assertThatThrownBy(() -> registry(Map.of("resilience.timeout.instances.reports.duration", "2 fortnights")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.timeout.instances.reports.duration=2 fortnights")
                .hasMessageContaining("500ms, 2s or PT2S");
    }

    @Test
    void anUnknownPropertyIsRejectedListingTheKnownOnes() {
        assertThatThrownBy(() -> registry(Map.of("resilience.circuitbreaker.instances.payments.failure-rate", "50")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown property resilience.circuitbreaker.instances.payments.failure-rate=50")
                .hasMessageContaining("failure-rate-threshold");
    }

    @Test
    void aKeyOutsideConfigsAndInstancesIsRejected() {
        assertThatThrownBy(() -> registry(Map.of("resilience.retry.payments.max-attempts", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.payments.max-attempts=3")
                .hasMessageContaining("resilience.retry.instances.<name>.<property>");
    }

    @Test
    void anUnknownBaseConfigIsRejectedNamingKeyAndValue() {
        assertThatThrownBy(() -> registry(Map.of("resilience.retry.instances.payments.base-config", "patient")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.instances.payments.base-config=patient")
                .hasMessageContaining("no such configuration");
    }

    @Test
    void anUnknownExceptionClassIsRejectedNamingKeyAndValue() {
        assertThatThrownBy(() -> registry(Map.of("resilience.retry.configs.default.retry-on", "java.io.IOException, com.example.Nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.configs.default.retry-on=java.io.IOException, com.example.Nope")
                .hasMessageContaining("com.example.Nope not found");
    }

    @Test
    void aBadBackoffIsRejectedNamingItsKeys() {
        assertThatThrownBy(() -> registry(Map.of(
                "resilience.retry.instances.payments.backoff-multiplier", "0.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.instances.payments.backoff-multiplier=0.5");
        assertThatThrownBy(() -> registry(Map.of("resilience.retry.instances.payments.backoff", "linear")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resilience.retry.instances.payments.backoff=linear")
                .hasMessageContaining("none, fixed, exponential");
    }

    @Test
    void durationsTakeSpringBootsForms() {
        assertThat(PolicyProperties.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(PolicyProperties.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(PolicyProperties.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(PolicyProperties.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(PolicyProperties.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(PolicyProperties.duration("500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(PolicyProperties.duration("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(PolicyProperties.duration("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    }
}
