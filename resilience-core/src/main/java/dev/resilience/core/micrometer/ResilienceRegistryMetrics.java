package dev.resilience.core.micrometer;

import dev.resilience.core.Bulkhead;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Policy;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Retry;
import dev.resilience.core.Timeout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;

/**
 * Binds every policy of a {@link ResilienceRegistry}, those it holds now and those it creates later,
 * with the binder of its kind ({@link CircuitBreakerMetrics}, {@link RetryMetrics}, {@link TimeoutMetrics},
 * {@link BulkheadMetrics}): the same meters as binding each by hand.
 *
 * <pre>{@code
 * new ResilienceRegistryMetrics(registry).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Each policy is bound once per {@code bindTo}, even when it is created while binding.
 */
public final class ResilienceRegistryMetrics implements MeterBinder {

    private final ResilienceRegistry registry;

    /**
     * A binder for the meters of {@code registry}; bind it to a registry to publish them.
     *
     * @param registry the registry to observe
     */
    public ResilienceRegistryMetrics(ResilienceRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        Set<Policy> bound = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        // listen first, then bind what exists: a policy created in between is seen twice and bound once
        registry.addCreationListener(policy -> bind(policy, meterRegistry, bound));
        for (Policy policy : registry.policies()) {
            bind(policy, meterRegistry, bound);
        }
    }

    private static void bind(Policy policy, MeterRegistry meterRegistry, Set<Policy> bound) {
        if (!bound.add(policy)) {
            return;
        }
        if (policy instanceof CircuitBreaker) {
            new CircuitBreakerMetrics((CircuitBreaker) policy).bindTo(meterRegistry);
        } else if (policy instanceof Retry) {
            new RetryMetrics((Retry) policy).bindTo(meterRegistry);
        } else if (policy instanceof Timeout) {
            new TimeoutMetrics((Timeout) policy).bindTo(meterRegistry);
        } else if (policy instanceof Bulkhead) {
            new BulkheadMetrics((Bulkhead) policy).bindTo(meterRegistry);
        }
    }
}
