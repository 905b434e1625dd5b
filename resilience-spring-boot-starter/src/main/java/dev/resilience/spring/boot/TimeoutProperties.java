package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named timeout configurations and instances: {@code resilience.timeout.configs.<config>.*} and
 * {@code resilience.timeout.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.timeout", ignoreUnknownFields = false)
public class TimeoutProperties extends NamedPolicyProperties<TimeoutProperties.Settings> {

    /** No configurations and no instances, until Spring binds them. */
    public TimeoutProperties() {
        super("timeout");
    }

    /** The settings of one timeout configuration or instance. */
    public static class Settings extends PolicySettings {
        /** The deadline (required, here or in the configuration). */
        private @Nullable Duration duration;
        /** Whether an asynchronous call's own stage is cancelled at the deadline (library default false). */
        private @Nullable Boolean cancelOnTimeout;

        /** Unset settings: the base configuration's, or the library's, apply. */
        public Settings() {
        }

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "duration", duration);
            put(out, "cancel-on-timeout", cancelOnTimeout);
        }

        /** @return the deadline (required, here or in the configuration); null when not set */
        public @Nullable Duration getDuration() {
            return duration;
        }

        /** @param duration the deadline (required, here or in the configuration) */
        public void setDuration(@Nullable Duration duration) {
            this.duration = duration;
        }

        /**
         * @return whether an asynchronous call's own stage is cancelled at the deadline (library default false); null
         * when not set
         */
        public @Nullable Boolean getCancelOnTimeout() {
            return cancelOnTimeout;
        }

        /**
         * @param cancelOnTimeout whether an asynchronous call's own stage is cancelled at the deadline (library default
         * false)
         */
        public void setCancelOnTimeout(@Nullable Boolean cancelOnTimeout) {
            this.cancelOnTimeout = cancelOnTimeout;
        }
    }
}
