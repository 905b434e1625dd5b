package dev.resilience.core.micrometer;

import dev.resilience.core.Timeout;
import dev.resilience.core.TimeoutEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
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

    public TimeoutMetrics(Timeout timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Map<TimeoutEvent.Type, Counter> calls = new EnumMap<>(TimeoutEvent.Type.class);
        for (TimeoutEvent.Type type : TimeoutEvent.Type.values()) {
            calls.put(type, Counter.builder("resilience.timeout.calls")
                    .description("Calls through a timeout, by outcome")
                    .tag("name", timeout.name())
                    .tag("kind", "timeout")
                    .tag("result", type.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        timeout.addListener(event -> calls.get(event.type()).increment());
    }
}
