package dev.resilience.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named configurations and instances of one policy kind, bound from
 * {@code resilience.<kind>.configs.<config>.*} and {@code resilience.<kind>.instances.<name>.*}: the keys of
 * core's properties binder. Each kind ({@link RetryProperties}, {@link CircuitBreakerProperties},
 * {@link TimeoutProperties}, {@link BulkheadProperties}) names its own settings type, so that the generated
 * metadata and an IDE know every key. Not thread-safe: Spring binds it once at start-up.
 *
 * <p>A configuration and an instance have the same settings type, as core's binder reads the same keys for
 * both; {@code base-config} is an instance's key only, and core fails start-up naming the key when a
 * configuration sets it.
 *
 * @param <S> the settings of one configuration or instance of the kind
 */
public abstract class NamedPolicyProperties<S extends PolicySettings> {

    private final String kind;

    /** Shared configurations by name; "default" applies to instances that name none. */
    private final Map<String, S> configs = new LinkedHashMap<>();

    /** Instances by the name the code (or the annotation) asks for. */
    private final Map<String, S> instances = new LinkedHashMap<>();

    NamedPolicyProperties(String kind) {
        this.kind = kind;
    }

    /**
     * The shared configurations.
     *
     * @return the configurations by name, to which Spring binds {@code resilience.<kind>.configs.*}
     */
    public Map<String, S> getConfigs() {
        return configs;
    }

    /**
     * The instances.
     *
     * @return the instances by name, to which Spring binds {@code resilience.<kind>.instances.*}
     */
    public Map<String, S> getInstances() {
        return instances;
    }

    /**
     * Writes the configurations and instances as the flat keys of core's properties binder
     * ({@code resilience.<kind>.configs.<name>.<property>=value}), so that core converts and checks every
     * value with one set of rules and names the key in its message.
     */
    void flatten(Map<String, String> into) {
        flatten("configs", configs, into);
        flatten("instances", instances, into);
    }

    private void flatten(String group, Map<String, ? extends PolicySettings> settings, Map<String, String> into) {
        settings.forEach((name, values) -> values.collectAll(
                (key, value) -> into.put("resilience." + kind + "." + group + "." + name + "." + key,
                        PolicySettings.text(value))));
    }
}
