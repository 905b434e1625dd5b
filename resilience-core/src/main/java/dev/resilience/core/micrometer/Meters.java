package dev.resilience.core.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/** Registers the meters of one policy with the tags every binder shares: {@code name} and {@code kind}. */
final class Meters {

    private final MeterRegistry registry;
    private final String name;
    private final String kind;

    Meters(MeterRegistry registry, String name, String kind) {
        this.registry = registry;
        this.name = name;
        this.kind = kind;
    }

    Counter counter(String meter, String description, String result) {
        return Counter.builder(meter)
                .description(description)
                .tag("name", name)
                .tag("kind", kind)
                .tag("result", result)
                .register(registry);
    }

    /** A counter per value of {@code results}, tagged {@code result} with the value's lower-case name. */
    <E extends Enum<E>> Map<E, Counter> counters(String meter, String description, Set<E> results) {
        Map<E, Counter> counters = new HashMap<>();
        for (E result : results) {
            counters.put(result, counter(meter, description, result.name().toLowerCase(Locale.ROOT)));
        }
        return counters;
    }

    /** A gauge; {@code extraTag} is a key then a value, or nothing. */
    <T> void gauge(String meter, String description, @Nullable String baseUnit, T source, ToDoubleFunction<T> value,
            String... extraTag) {
        Gauge.Builder<T> builder = Gauge.builder(meter, source, value)
                .description(description)
                .tag("name", name)
                .tag("kind", kind)
                .baseUnit(baseUnit);
        if (extraTag.length == 2) {
            builder.tag(extraTag[0], extraTag[1]);
        }
        builder.register(registry);
    }
}
