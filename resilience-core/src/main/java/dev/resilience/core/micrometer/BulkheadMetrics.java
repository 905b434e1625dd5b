package dev.resilience.core.micrometer;

import dev.resilience.core.Bulkhead;
import dev.resilience.core.BulkheadEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Publishes, tagged {@code name} and {@code kind=bulkhead}: {@code resilience.bulkhead.calls}, a counter
 * tagged {@code result} ({@code permitted} or {@code rejected}); {@code resilience.bulkhead.available.calls}
 * and {@code resilience.bulkhead.max.calls}, gauges of free and total slots.
 *
 * <pre>{@code
 * new BulkheadMetrics(bulkhead).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Binding adds a listener to the bulkhead. The gauges hold the bulkhead weakly.
 */
public final class BulkheadMetrics implements MeterBinder {

    private final Bulkhead bulkhead;

    public BulkheadMetrics(Bulkhead bulkhead) {
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Counter permitted = counter(registry, "permitted");
        Counter rejected = counter(registry, "rejected");
        Gauge.builder("resilience.bulkhead.available.calls", bulkhead, Bulkhead::availableCalls)
                .description("Calls the bulkhead can start right now")
                .tag("name", bulkhead.name())
                .tag("kind", "bulkhead")
                .register(registry);
        Gauge.builder("resilience.bulkhead.max.calls", bulkhead, Bulkhead::maxConcurrentCalls)
                .description("Calls the bulkhead lets run at once")
                .tag("name", bulkhead.name())
                .tag("kind", "bulkhead")
                .register(registry);
        bulkhead.addListener(event -> {
            if (event.type() == BulkheadEvent.Type.PERMITTED) {
                permitted.increment();
            } else if (event.type() == BulkheadEvent.Type.REJECTED) {
                rejected.increment();
            }
        });
    }

    private Counter counter(MeterRegistry registry, String result) {
        return Counter.builder("resilience.bulkhead.calls")
                .description("Calls offered to a bulkhead, by outcome")
                .tag("name", bulkhead.name())
                .tag("kind", "bulkhead")
                .tag("result", result)
                .register(registry);
    }
}
