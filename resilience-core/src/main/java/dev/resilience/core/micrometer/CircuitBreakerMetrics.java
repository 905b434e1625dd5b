package dev.resilience.core.micrometer;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Publishes, tagged {@code name} and {@code kind=circuitbreaker}:
 * <ul>
 *   <li>{@code resilience.circuitbreaker.state}: a gauge per {@code state} tag (closed, open, half_open,
 *       disabled, forced_open), 1 for the current state and 0 for the others;</li>
 *   <li>{@code resilience.circuitbreaker.calls}: a counter tagged {@code result}: {@code success},
 *       {@code failure}, {@code slow_success}, {@code slow_failure}, {@code ignored} or
 *       {@code not_permitted};</li>
 *   <li>{@code resilience.circuitbreaker.failure.rate} and {@code resilience.circuitbreaker.slow.call.rate}:
 *       gauges in percent of the current window, -1 until it holds the minimum number of calls.</li>
 * </ul>
 *
 * <pre>{@code
 * new CircuitBreakerMetrics(breaker).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Thread-safe. Binding adds a listener to the breaker; successes allocate nothing for it unless their
 * duration is measured (slow-call detection or a time-based window).
 * The gauges hold the breaker weakly, like every Micrometer gauge: keep a reference to it.
 */
public final class CircuitBreakerMetrics implements MeterBinder {

    private final CircuitBreaker breaker;

    /**
     * A binder for the meters of {@code breaker}; bind it to a registry to publish them.
     *
     * @param breaker the breaker to observe
     */
    public CircuitBreakerMetrics(CircuitBreaker breaker) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Meters meters = new Meters(registry, breaker.name(), "circuitbreaker");
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            meters.gauge("resilience.circuitbreaker.state", "1 when the circuit breaker is in this state, else 0", null,
                    breaker, b -> b.state() == state ? 1 : 0, "state", state.name().toLowerCase(Locale.ROOT));
        }
        meters.gauge("resilience.circuitbreaker.failure.rate",
                "Failure rate of the current window in percent, -1 before the minimum number of calls", "percent",
                breaker, CircuitBreaker::failureRate);
        meters.gauge("resilience.circuitbreaker.slow.call.rate",
                "Slow-call rate of the current window in percent, -1 before the minimum number of calls", "percent",
                breaker, CircuitBreaker::slowCallRate);
        Map<CircuitBreakerEvent.Type, Counter> calls = meters.counters("resilience.circuitbreaker.calls",
                "Calls through a circuit breaker, by outcome",
                EnumSet.complementOf(EnumSet.of(CircuitBreakerEvent.Type.STATE_TRANSITION)));
        breaker.addListener(event -> {
            Counter counter = calls.get(event.type());
            if (counter != null) {
                counter.increment();
            }
        });
    }
}
