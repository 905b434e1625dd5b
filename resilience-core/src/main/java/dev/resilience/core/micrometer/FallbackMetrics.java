package dev.resilience.core.micrometer;

import dev.resilience.core.Fallback;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes {@code resilience.fallback.calls}, a counter of replaced failures and results tagged
 * {@code name}, {@code kind=fallback} and {@code result=applied}.
 *
 * <pre>{@code
 * new FallbackMetrics(fallback).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Binding adds a listener to the fallback.
 */
public final class FallbackMetrics implements MeterBinder {

    private final Fallback<?> fallback;

    /**
     * A binder for the meters of {@code fallback}; bind it to a registry to publish them.
     *
     * @param fallback the fallback to observe
     */
    public FallbackMetrics(Fallback<?> fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Counter applied = new Meters(registry, fallback.name(), "fallback")
                .counter("resilience.fallback.calls", "Failures or results a fallback replaced", "applied");
        fallback.addListener(event -> applied.increment());
    }
}
