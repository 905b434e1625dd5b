package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one named configuration or instance of a policy kind, bound by Spring from
 * {@code resilience.<kind>.configs.<name>.*} or {@code resilience.<kind>.instances.<name>.*}. Unset settings
 * are null and leave the base configuration's (or the library's) value alone. Not thread-safe: Spring binds
 * it once at start-up.
 */
public abstract class PolicySettings {

    /** The configuration an instance starts from; instances only (core refuses it on a configuration). */
    private @Nullable String baseConfig;

    PolicySettings() {
    }

    /** Hands each setting of the kind that is set to {@code out} under its property name (kebab case). */
    abstract void collect(BiConsumer<String, Object> out);

    /**
     * The configuration an instance starts from: {@code resilience.<kind>.instances.<name>.base-config}.
     *
     * @return its name; null when not set: the configuration called "default", if any
     */
    public @Nullable String getBaseConfig() {
        return baseConfig;
    }

    /**
     * Names the configuration an instance starts from; an instance's key only, core fails start-up when a
     * configuration sets it.
     *
     * @param baseConfig the configuration's name; null for the one called "default", if any
     */
    public void setBaseConfig(@Nullable String baseConfig) {
        this.baseConfig = baseConfig;
    }

    /** Every setting that is set, {@code base-config} included. */
    final void collectAll(BiConsumer<String, Object> out) {
        put(out, "base-config", baseConfig);
        collect(out);
    }

    /** A value as core's properties binder reads it. */
    static String text(Object value) {
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
