package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named timeout configurations and instances: {@code resilience.timeout.configs.<config>.*} and
 * {@code resilience.timeout.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.timeout", ignoreUnknownFields = false)
public class TimeoutProperties {

    /** Shared timeout configurations by name; "default" applies to instances that name none. */
    private final Map<String, Config> configs = new LinkedHashMap<>();

    /** Timeout instances by the name the code (or the annotation) asks for. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    public Map<String, Config> getConfigs() {
        return configs;
    }

    public Map<String, Instance> getInstances() {
        return instances;
    }

    void flatten(Map<String, String> into) {
        PolicySettings.flatten("timeout", configs, instances, into);
    }

    /** The settings of one timeout configuration. */
    public static class Config extends PolicySettings {
        /** The deadline (required, here or in the configuration). */
        private @Nullable Duration duration;
        /** Whether an asynchronous call's own stage is cancelled at the deadline (library default false). */
        private @Nullable Boolean cancelOnTimeout;

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "duration", duration);
            put(out, "cancel-on-timeout", cancelOnTimeout);
        }

        public @Nullable Duration getDuration() {
            return duration;
        }

        public void setDuration(@Nullable Duration duration) {
            this.duration = duration;
        }

        public @Nullable Boolean getCancelOnTimeout() {
            return cancelOnTimeout;
        }

        public void setCancelOnTimeout(@Nullable Boolean cancelOnTimeout) {
            this.cancelOnTimeout = cancelOnTimeout;
        }
    }

    /** The settings of one timeout instance: a configuration's settings plus the configuration it starts from. */
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
