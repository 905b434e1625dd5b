package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResilienceRegistryTest {

    private static void fail(CircuitBreaker breaker) {
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    @Test
    void createsANamedPolicyFromTheNamedConfiguration() {
        ResilienceRegistry registry = ResilienceRegistry.builder()
                .retryConfig("default", b -> b.maxAttempts(4))
                .retryConfig("patient", b -> b.maxAttempts(7))
                .build();

        Retry payments = registry.retry("payments", "patient");

        assertThat(payments.name()).isEqualTo("payments");
        assertThat(payments.maxAttempts()).isEqualTo(7);
    }

    @Test
    void circuitBreakerGetsItsConfigurationsWindow() {
        ResilienceRegistry registry = ResilienceRegistry.builder()
                .circuitBreakerConfig("default", b -> b.countBasedWindow(2).minimumNumberOfCalls(2))
                .build();

        CircuitBreaker payments = registry.circuitBreaker("payments", "default");
        fail(payments);
        fail(payments);

        assertThat(payments.state()).isEqualTo(State.OPEN);
    }

    @Test
    void theSameNameGivesTheSameInstance() {
        ResilienceRegistry registry = ResilienceRegistry.ofDefaults();

        assertThat(registry.circuitBreaker("payments")).isSameAs(registry.circuitBreaker("payments"));
        assertThat(registry.bulkhead("payments")).isSameAs(registry.bulkhead("payments"));
        assertThat(registry.policies()).hasSize(2);
    }

    @Test
    void withoutAConfigurationNameTheDefaultConfigurationApplies() {
        ResilienceRegistry withDefault = ResilienceRegistry.builder().retryConfig("default", b -> b.maxAttempts(5)).build();
        ResilienceRegistry without = ResilienceRegistry.ofDefaults();

        assertThat(withDefault.retry("payments").maxAttempts()).isEqualTo(5);
        assertThat(without.retry("payments").maxAttempts()).isEqualTo(Retry.ofDefaults("x").maxAttempts());
    }

    @Test
    void instanceSettingsApplyOnTopOfTheConfiguration() {
        ResilienceRegistry registry = ResilienceRegistry.builder()
                .timeoutConfig("default", b -> b.duration(Duration.ofSeconds(2)))
                .timeoutInstance("reports", b -> b.duration(Duration.ofSeconds(30)))
                .bulkheadConfig("default", b -> b.maxConcurrentCalls(10))
                .bulkheadInstance("reports", b -> b.maxConcurrentCalls(2))
                .build();

        assertThat(registry.timeout("reports").duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(registry.timeout("payments").duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(registry.bulkhead("reports").maxConcurrentCalls()).isEqualTo(2);
        assertThat(registry.bulkhead("payments", "default").maxConcurrentCalls()).isEqualTo(10);
    }

    @Test
    void anUnknownConfigurationIsRejectedNamingIt() {
        ResilienceRegistry registry = ResilienceRegistry.builder().retryConfig("default", b -> b.maxAttempts(2)).build();

        assertThatThrownBy(() -> registry.retry("payments", "patient"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'patient'")
                .hasMessageContaining("known: default");
    }

    @Test
    void askingForAnExistingPolicyWithAnotherConfigurationIsRejected() {
        ResilienceRegistry registry = ResilienceRegistry.builder()
                .retryConfig("default", b -> b.maxAttempts(2))
                .retryConfig("patient", b -> b.maxAttempts(7))
                .build();
        registry.retry("payments", "default");

        assertThatThrownBy(() -> registry.retry("payments", "patient"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'payments' already exists with configuration 'default', asked for 'patient'");
        assertThat(registry.retry("payments")).isSameAs(registry.retry("payments", "default"));
    }

    @Test
    void anInstanceThatCannotBeBuiltFailsTheRegistrysBuildNamingIt() {
        ResilienceRegistry.Builder builder = ResilienceRegistry.builder()
                .timeoutInstance("reports", b -> b.cancelOnTimeout(true)); // no duration anywhere

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout instance 'reports'")
                .hasMessageContaining("duration");
    }

    @Test
    void aConfigurationWithABadValueFailsTheRegistrysBuildNamingIt() {
        ResilienceRegistry.Builder builder = ResilienceRegistry.builder()
                .bulkheadConfig("tight", b -> b.maxConcurrentCalls(0));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bulkhead configuration 'tight'")
                .hasMessageContaining("maxConcurrentCalls must be at least 1, was 0");
    }

    @Test
    void aTimeoutWithoutAnyDurationFailsWhenAskedFor() {
        ResilienceRegistry registry = ResilienceRegistry.ofDefaults();

        assertThatThrownBy(() -> registry.timeout("reports"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void creationListenersSeeEachNewPolicyOnce() {
        ResilienceRegistry registry = ResilienceRegistry.ofDefaults();
        List<Policy> created = new ArrayList<>();
        registry.addCreationListener(created::add);

        CircuitBreaker breaker = registry.circuitBreaker("payments");
        registry.circuitBreaker("payments");
        Retry retry = registry.retry("payments");

        assertThat(created).containsExactly(breaker, retry);
    }

    @Test
    void theBuilderCannotChangeABuiltRegistry() {
        ResilienceRegistry.Builder builder = ResilienceRegistry.builder().retryConfig("default", b -> b.maxAttempts(2));
        ResilienceRegistry registry = builder.build();

        builder.retryConfig("default", b -> b.maxAttempts(9));

        assertThat(registry.retry("payments").maxAttempts()).isEqualTo(2);
    }
}
