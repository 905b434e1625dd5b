package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one named configuration or instance of a policy kind, bound by Spring from
 * {@code resilience.<kind>.configs.<name>.*} or {@code resilience.<kind>.instances.<name>.*}. Unset settings
 * are null and leave the base configuration's (or the library's) value alone. Not thread-safe: Spring binds
 * it once at start-up.
 */
public abstract class PolicySettings {

    PolicySettings() {
    }

    /** Hands each setting that is set to {@code out} under its property name (kebab case). */
    abstract void collect(BiConsumer<String, Object> out);

    /**
     * Writes the configurations and instances of one kind as the flat keys of core's properties binder
     * ({@code resilience.<kind>.configs.<name>.<property>=value}), so that core converts and checks every
     * value with one set of rules and names the key in its message.
     */
    static void flatten(String kind, Map<String, ? extends PolicySettings> configs,
            Map<String, ? extends PolicySettings> instances, Map<String, String> into) {
        configs.forEach((name, settings) -> settings.collect(
                (key, value) -> into.put("resilience." + kind + ".configs." + name + "." + key, text(value))));
        instances.forEach((name, settings) -> settings.collect(
                (key, value) -> into.put("resilience." + kind + ".instances." + name + "." + key, text(value))));
    }

    private static String text(Object value) {
        if (value instanceof Duration) {
            return value.toString();   // ISO-8601, which core reads
        }
        if (value instanceof List) {
            return String.join(",", ((List<?>) value).stream().map(String::valueOf).toList());
        }
        if (value instanceof Enum) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }

    static void put(BiConsumer<String, Object> out, String key, @Nullable Object value) {
        if (value != null) {
            out.accept(key, value);
        }
    }
}
