package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named bulkhead configurations and instances: {@code resilience.bulkhead.configs.<config>.*} and
 * {@code resilience.bulkhead.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.bulkhead", ignoreUnknownFields = false)
public class BulkheadProperties extends NamedPolicyProperties<BulkheadProperties.Settings> {

    /** No configurations and no instances, until Spring binds them. */
    public BulkheadProperties() {
        super("bulkhead");
    }

    /** The settings of one bulkhead configuration or instance. */
    public static class Settings extends PolicySettings {
        /** Calls allowed at once (library default 25). */
        private @Nullable Integer maxConcurrentCalls;
        /** How long a call waits for a slot (library default: no wait). */
        private @Nullable Duration maxWait;

        /** Unset settings: the base configuration's, or the library's, apply. */
        public Settings() {
        }

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "max-concurrent-calls", maxConcurrentCalls);
            put(out, "max-wait", maxWait);
        }

        /** @return calls allowed at once (library default 25); null when not set */
        public @Nullable Integer getMaxConcurrentCalls() {
            return maxConcurrentCalls;
        }

        /** @param maxConcurrentCalls calls allowed at once (library default 25) */
        public void setMaxConcurrentCalls(@Nullable Integer maxConcurrentCalls) {
            this.maxConcurrentCalls = maxConcurrentCalls;
        }

        /** @return how long a call waits for a slot (library default: no wait); null when not set */
        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        /** @param maxWait how long a call waits for a slot (library default: no wait) */
        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }
    }
}
