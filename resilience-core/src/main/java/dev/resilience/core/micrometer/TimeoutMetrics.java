package dev.resilience.core.micrometer;

import dev.resilience.core.Timeout;
import dev.resilience.core.TimeoutEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes {@code resilience.timeout.calls}, a counter tagged {@code name}, {@code kind=timeout} and
 * {@code result}: {@code success}, {@code failure} (failed in time) or {@code timeout}.
 *
 * <pre>{@code
 * new TimeoutMetrics(timeout).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Binding adds a listener to the timeout.
 */
public final class TimeoutMetrics implements MeterBinder {

    private final Timeout timeout;

    /**
     * A binder for the meters of {@code timeout}; bind it to a registry to publish them.
     *
     * @param timeout the timeout to observe
     */
    public TimeoutMetrics(Timeout timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<TimeoutEvent.Type, Counter> calls = new Meters(registry, timeout.name(), "timeout")
                .counters("resilience.timeout.calls", "Calls through a timeout, by outcome",
                        EnumSet.allOf(TimeoutEvent.Type.class));
        timeout.addListener(event -> {
            Counter counter = calls.get(event.type()); // one per type, so never null
            if (counter != null) {
                counter.increment();
            }
        });
    }
}
