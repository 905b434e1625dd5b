package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named bulkhead configurations and instances: {@code resilience.bulkhead.configs.<config>.*} and
 * {@code resilience.bulkhead.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.bulkhead", ignoreUnknownFields = false)
public class BulkheadProperties {

    /** Shared bulkhead configurations by name; "default" applies to instances that name none. */
    private final Map<String, Config> configs = new LinkedHashMap<>();

    /** Bulkhead instances by the name the code (or the annotation) asks for. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    public Map<String, Config> getConfigs() {
        return configs;
    }

    public Map<String, Instance> getInstances() {
        return instances;
    }

    void flatten(Map<String, String> into) {
        PolicySettings.flatten("bulkhead", configs, instances, into);
    }

    /** The settings of one bulkhead configuration. */
    public static class Config extends PolicySettings {
        /** Calls allowed at once (library default 25). */
        private @Nullable Integer maxConcurrentCalls;
        /** How long a call waits for a slot (library default: no wait). */
        private @Nullable Duration maxWait;

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "max-concurrent-calls", maxConcurrentCalls);
            put(out, "max-wait", maxWait);
        }

        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }
    }

    /** The settings of one bulkhead instance: a configuration's settings plus the configuration it starts from. */
    public static class Instance extends Config {
        /** The configuration this instance starts from (default: the one called "default", if any). */
        private @Nullable String baseConfig;

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "base-config", baseConfig);
            super.collect(out);
        }

        public @Nullable String getBaseConfig() {
            return baseConfig;
        }

        public void setBaseConfig(@Nullable String baseConfig) {
            this.baseConfig = baseConfig;
        }
    }
}
