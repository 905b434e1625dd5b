package dev.resilience.core.micrometer;

import dev.resilience.core.Bulkhead;
import dev.resilience.core.BulkheadEvent;
import io.micrometer.core.instrument.Counter;
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

    private static final String CALLS = "resilience.bulkhead.calls";
    private static final String DESCRIPTION = "Calls offered to a bulkhead, by outcome";

    private final Bulkhead bulkhead;

    /**
     * A binder for the meters of {@code bulkhead}; bind it to a registry to publish them.
     *
     * @param bulkhead the bulkhead to observe
     */
    public BulkheadMetrics(Bulkhead bulkhead) {
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Meters meters = new Meters(registry, bulkhead.name(), "bulkhead");
        Counter permitted = meters.counter(CALLS, DESCRIPTION, "permitted");
        Counter rejected = meters.counter(CALLS, DESCRIPTION, "rejected");
        meters.gauge("resilience.bulkhead.available.calls", "Calls the bulkhead can start right now", null,
                bulkhead, Bulkhead::availableCalls);
        meters.gauge("resilience.bulkhead.max.calls", "Calls the bulkhead lets run at once", null,
                bulkhead, Bulkhead::maxConcurrentCalls);
        bulkhead.addListener(event -> {
            if (event.type() == BulkheadEvent.Type.PERMITTED) {
                permitted.increment();
            } else if (event.type() == BulkheadEvent.Type.REJECTED) {
                rejected.increment();
            }
        });
    }
}
