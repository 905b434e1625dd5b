package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.micrometer.ResilienceRegistryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The registry, properties, decorator and asynchronous fallback samples of resilience-core/README.md. */
class ReadmeExampleRegistryTest {

    /** The properties sample of the README, verbatim. */
    private static final String README_PROPERTIES = String.join("\n",
            "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
            "resilience.circuitbreaker.configs.default.slow-call-duration=2s",
            "resilience.circuitbreaker.instances.payments.open-duration=30s",
            "resilience.retry.configs.default.max-attempts=3",
            "resilience.retry.instances.payments.base-config=default",
            "resilience.retry.instances.payments.max-attempts=4",
            "resilience.retry.instances.payments.backoff=exponential",
            "resilience.retry.instances.payments.backoff-delay=100ms",
            "resilience.retry.instances.payments.retry-on=java.io.IOException, java.io.UncheckedIOException",
            "resilience.timeout.configs.default.duration=2s");

    record Order(String id) { }

    record Receipt(String order, boolean pending) { }

    interface Gateway {
        Receipt charge(Order order);

        CompletionStage<Receipt> chargeAsync(Order order);
    }

    interface Receipts {
        CompletionStage<Receipt> pendingAsync();
    }

    private static Properties readmeProperties() throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(README_PROPERTIES));
        return properties;
    }

    private static final class Sample {
        ResilienceRegistry registry;
        Function<Order, Receipt> charge;
        Supplier<CompletionStage<Receipt>> chargeLater;
    }

    private static Sample readmeSample(Properties properties, MeterRegistry meterRegistry, Gateway gateway,
            Receipts receipts, Order order) {
        // --- README registry sample start
        ResilienceRegistry registry = ResilienceRegistry.builder()
                .circuitBreakerConfig("default", b -> b.minimumNumberOfCalls(20))
                .properties(properties)   // the keys above, e.g. from application.properties
                .build();
        new ResilienceRegistryMetrics(registry).bindTo(meterRegistry);   // every policy it creates

        Policy payments = Resilience.of(
                registry.retry("payments"),
                registry.circuitBreaker("payments", "default"),
                registry.timeout("payments"));

        // decorated once, called many times
        Function<Order, Receipt> charge = payments.decorateFunction(gateway::charge);
        Receipt receipt = charge.apply(order);

        // asynchronous: a fallback that is itself a stage
        Policy paymentsAsync = Resilience.of(Fallback.<Receipt>ofStage(failure -> receipts.pendingAsync()), payments);
        Supplier<CompletionStage<Receipt>> chargeLater = paymentsAsync.decorateCompletionStage(() -> gateway.chargeAsync(order));
        // --- README registry sample end
        assertThat(receipt).isNotNull();
        Sample sample = new Sample();
        sample.registry = registry;
        sample.charge = charge;
        sample.chargeLater = chargeLater;
        return sample;
    }

    @Test
    void propertiesSampleConfiguresThePolicies() throws IOException {
        ResilienceRegistry registry = ResilienceRegistry.builder().properties(readmeProperties()).build();

        assertThat(registry.retry("payments").maxAttempts()).isEqualTo(4);
        assertThat(registry.retry("orders").maxAttempts()).isEqualTo(3);
        assertThat(registry.retry("payments").isRetryable(new IOException("x"))).isTrue();
        assertThat(registry.retry("payments").isRetryable(new IllegalStateException("x"))).isFalse();
        assertThat(registry.timeout("payments").duration()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void sampleChargesRetriesAndFallsBackAsynchronously() throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int[] calls = {0};
        Gateway gateway = new Gateway() {
            @Override
            public Receipt charge(Order order) {
                if (++calls[0] == 1) {
                    throw new UncheckedIOException(new IOException("reset"));
                }
                return new Receipt(order.id(), false);
            }

            @Override
            public CompletionStage<Receipt> chargeAsync(Order order) {
                return CompletableFuture.failedFuture(new IllegalStateException("declined"));
            }
        };
        Receipts receipts = () -> CompletableFuture.completedFuture(new Receipt("o-1", true));

        Sample sample = readmeSample(readmeProperties(), meters, gateway, receipts, new Order("o-1"));

        assertThat(sample.charge.apply(new Order("o-2"))).isEqualTo(new Receipt("o-2", false));
        assertThat(sample.chargeLater.get().toCompletableFuture().join()).isEqualTo(new Receipt("o-1", true));
        assertThat(meters.get("resilience.circuitbreaker.calls").tag("name", "payments").tag("result", "success")
                .counter().count()).isGreaterThanOrEqualTo(2);
        assertThat(sample.registry.policies()).hasSize(3);
    }
}
