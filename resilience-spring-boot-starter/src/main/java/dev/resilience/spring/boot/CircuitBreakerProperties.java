package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named circuit breaker configurations and instances: {@code resilience.circuitbreaker.configs.<config>.*} and
 * {@code resilience.circuitbreaker.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.circuitbreaker", ignoreUnknownFields = false)
public class CircuitBreakerProperties {

    /** Shared circuit breaker configurations by name; "default" applies to instances that name none. */
    private final Map<String, Config> configs = new LinkedHashMap<>();

    /** Circuit breaker instances by the name the code (or the annotation) asks for. */
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    public Map<String, Config> getConfigs() {
        return configs;
    }

    public Map<String, Instance> getInstances() {
        return instances;
    }

    void flatten(Map<String, String> into) {
        PolicySettings.flatten("circuitbreaker", configs, instances, into);
    }

    /** The settings of one circuit breaker configuration. */
    public static class Config extends PolicySettings {
        /** Failure rate in percent at which the breaker opens (library default 50). */
        private Float failureRateThreshold;
        /** Slow-call rate in percent at which the breaker opens (library default 100). */
        private Float slowCallRateThreshold;
        /** Calls longer than this count as slow (library default: off). */
        private Duration slowCallDuration;
        /** Judge the last n calls (library default 100). */
        private Integer countBasedWindow;
        /** Judge the calls of this last stretch of time instead of a count. */
        private Duration timeBasedWindow;
        /** Calls the window must hold before it judges (library default 10). */
        private Integer minimumNumberOfCalls;
        /** How long the breaker stays open (library default 60s). */
        private Duration openDuration;
        /** Growth of the open duration after each failed probe round (library default 1). */
        private Double openDurationMultiplier;
        /** The longest open duration the multiplier reaches. */
        private Duration maxOpenDuration;
        /** Probe calls in half-open (library default 10). */
        private Integer permittedCallsInHalfOpen;
        /** How long probes may take to report before the breaker reopens (library default 60s). */
        private Duration maxWaitInHalfOpen;
        /** Exception class names that count as failures (library default: every Exception). */
        private List<String> recordOn;
        /** Exception class names that count neither way. */
        private List<String> ignore;

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "failure-rate-threshold", failureRateThreshold);
            put(out, "slow-call-rate-threshold", slowCallRateThreshold);
            put(out, "slow-call-duration", slowCallDuration);
            put(out, "count-based-window", countBasedWindow);
            put(out, "time-based-window", timeBasedWindow);
            put(out, "minimum-number-of-calls", minimumNumberOfCalls);
            put(out, "open-duration", openDuration);
            put(out, "open-duration-multiplier", openDurationMultiplier);
            put(out, "max-open-duration", maxOpenDuration);
            put(out, "permitted-calls-in-half-open", permittedCallsInHalfOpen);
            put(out, "max-wait-in-half-open", maxWaitInHalfOpen);
            put(out, "record-on", recordOn);
            put(out, "ignore", ignore);
        }

        public Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public Float getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        public Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        public void setSlowCallDuration(Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        public Integer getCountBasedWindow() {
            return countBasedWindow;
        }

        public void setCountBasedWindow(Integer countBasedWindow) {
            this.countBasedWindow = countBasedWindow;
        }

        public Duration getTimeBasedWindow() {
            return timeBasedWindow;
        }

        public void setTimeBasedWindow(Duration timeBasedWindow) {
            this.timeBasedWindow = timeBasedWindow;
        }

        public Integer getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        public Duration getOpenDuration() {
            return openDuration;
        }

        public void setOpenDuration(Duration openDuration) {
            this.openDuration = openDuration;
        }

        public Double getOpenDurationMultiplier() {
            return openDurationMultiplier;
        }

        public void setOpenDurationMultiplier(Double openDurationMultiplier) {
            this.openDurationMultiplier = openDurationMultiplier;
        }

        public Duration getMaxOpenDuration() {
            return maxOpenDuration;
        }

        public void setMaxOpenDuration(Duration maxOpenDuration) {
            this.maxOpenDuration = maxOpenDuration;
        }

        public Integer getPermittedCallsInHalfOpen() {
            return permittedCallsInHalfOpen;
        }

        public void setPermittedCallsInHalfOpen(Integer permittedCallsInHalfOpen) {
            this.permittedCallsInHalfOpen = permittedCallsInHalfOpen;
        }

        public Duration getMaxWaitInHalfOpen() {
            return maxWaitInHalfOpen;
        }

        public void setMaxWaitInHalfOpen(Duration maxWaitInHalfOpen) {
            this.maxWaitInHalfOpen = maxWaitInHalfOpen;
        }

        public List<String> getRecordOn() {
            return recordOn;
        }

        public void setRecordOn(List<String> recordOn) {
            this.recordOn = recordOn;
        }

        public List<String> getIgnore() {
            return ignore;
        }

        public void setIgnore(List<String> ignore) {
            this.ignore = ignore;
        }
    }

    /** The settings of one circuit breaker instance: a configuration's settings plus the configuration it starts from. */
    public static class Instance extends Config {
        /** The configuration this instance starts from (default: the one called "default", if any). */
        private String baseConfig;

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "base-config", baseConfig);
            super.collect(out);
        }

        public String getBaseConfig() {
            return baseConfig;
        }

        public void setBaseConfig(String baseConfig) {
            this.baseConfig = baseConfig;
        }
    }
}
