package dev.resilience.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named circuit breaker configurations and instances: {@code resilience.circuitbreaker.configs.<config>.*} and
 * {@code resilience.circuitbreaker.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.circuitbreaker", ignoreUnknownFields = false)
public class CircuitBreakerProperties extends NamedPolicyProperties<CircuitBreakerProperties.Settings> {

    /** No configurations and no instances, until Spring binds them. */
    public CircuitBreakerProperties() {
        super("circuitbreaker");
    }

    /** The settings of one circuit breaker configuration or instance. */
    public static class Settings extends PolicySettings {
        /** Failure rate in percent at which the breaker opens (library default 50). */
        private @Nullable Float failureRateThreshold;
        /** Slow-call rate in percent at which the breaker opens (library default 100). */
        private @Nullable Float slowCallRateThreshold;
        /** Calls longer than this count as slow (library default: off). */
        private @Nullable Duration slowCallDuration;
        /** Judge the last n calls (library default 100). */
        private @Nullable Integer countBasedWindow;
        /** Judge the calls of this last stretch of time instead of a count. */
        private @Nullable Duration timeBasedWindow;
        /** Calls the window must hold before it judges (library default 10). */
        private @Nullable Integer minimumNumberOfCalls;
        /** How long the breaker stays open (library default 60s). */
        private @Nullable Duration openDuration;
        /** Growth of the open duration after each failed probe round (library default 1). */
        private @Nullable Double openDurationMultiplier;
        /** The longest open duration the multiplier reaches. */
        private @Nullable Duration maxOpenDuration;
        /** Probe calls in half-open (library default 10). */
        private @Nullable Integer permittedCallsInHalfOpen;
        /** How long probes may take to report before the breaker reopens (library default 60s). */
        private @Nullable Duration maxWaitInHalfOpen;
        /** Exception class names that count as failures (library default: every Exception). */
        private @Nullable List<String> recordOn;
        /** Exception class names that count neither way. */
        private @Nullable List<String> ignore;

        /** Unset settings: the base configuration's, or the library's, apply. */
        public Settings() {
        }

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

        /** @return failure rate in percent at which the breaker opens (library default 50); null when not set */
        public @Nullable Float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        /** @param failureRateThreshold failure rate in percent at which the breaker opens (library default 50) */
        public void setFailureRateThreshold(@Nullable Float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        /** @return slow-call rate in percent at which the breaker opens (library default 100); null when not set */
        public @Nullable Float getSlowCallRateThreshold() {
            return slowCallRateThreshold;
        }

        /** @param slowCallRateThreshold slow-call rate in percent at which the breaker opens (library default 100) */
        public void setSlowCallRateThreshold(@Nullable Float slowCallRateThreshold) {
            this.slowCallRateThreshold = slowCallRateThreshold;
        }

        /** @return calls longer than this count as slow (library default: off); null when not set */
        public @Nullable Duration getSlowCallDuration() {
            return slowCallDuration;
        }

        /** @param slowCallDuration calls longer than this count as slow (library default: off) */
        public void setSlowCallDuration(@Nullable Duration slowCallDuration) {
            this.slowCallDuration = slowCallDuration;
        }

        /** @return judge the last n calls (library default 100); null when not set */
        public @Nullable Integer getCountBasedWindow() {
            return countBasedWindow;
        }

        /** @param countBasedWindow judge the last n calls (library default 100) */
        public void setCountBasedWindow(@Nullable Integer countBasedWindow) {
            this.countBasedWindow = countBasedWindow;
        }

        /** @return judge the calls of this last stretch of time instead of a count; null when not set */
        public @Nullable Duration getTimeBasedWindow() {
            return timeBasedWindow;
        }

        /** @param timeBasedWindow judge the calls of this last stretch of time instead of a count */
        public void setTimeBasedWindow(@Nullable Duration timeBasedWindow) {
            this.timeBasedWindow = timeBasedWindow;
        }

        /** @return calls the window must hold before it judges (library default 10); null when not set */
        public @Nullable Integer getMinimumNumberOfCalls() {
            return minimumNumberOfCalls;
        }

        /** @param minimumNumberOfCalls calls the window must hold before it judges (library default 10) */
        public void setMinimumNumberOfCalls(@Nullable Integer minimumNumberOfCalls) {
            this.minimumNumberOfCalls = minimumNumberOfCalls;
        }

        /** @return how long the breaker stays open (library default 60s); null when not set */
        public @Nullable Duration getOpenDuration() {
            return openDuration;
        }

        /** @param openDuration how long the breaker stays open (library default 60s) */
        public void setOpenDuration(@Nullable Duration openDuration) {
            this.openDuration = openDuration;
        }

        /** @return growth of the open duration after each failed probe round (library default 1); null when not set */
        public @Nullable Double getOpenDurationMultiplier() {
            return openDurationMultiplier;
        }

        /**
         * @param openDurationMultiplier growth of the open duration after each failed probe round (library default 1)
         */
        public void setOpenDurationMultiplier(@Nullable Double openDurationMultiplier) {
            this.openDurationMultiplier = openDurationMultiplier;
        }

        /** @return the longest open duration the multiplier reaches; null when not set */
        public @Nullable Duration getMaxOpenDuration() {
            return maxOpenDuration;
        }

        /** @param maxOpenDuration the longest open duration the multiplier reaches */
        public void setMaxOpenDuration(@Nullable Duration maxOpenDuration) {
            this.maxOpenDuration = maxOpenDuration;
        }

        /** @return probe calls in half-open (library default 10); null when not set */
        public @Nullable Integer getPermittedCallsInHalfOpen() {
            return permittedCallsInHalfOpen;
        }

        /** @param permittedCallsInHalfOpen probe calls in half-open (library default 10) */
        public void setPermittedCallsInHalfOpen(@Nullable Integer permittedCallsInHalfOpen) {
            this.permittedCallsInHalfOpen = permittedCallsInHalfOpen;
        }

        /**
         * @return how long probes may take to report before the breaker reopens (library default 60s); null when not
         * set
         */
        public @Nullable Duration getMaxWaitInHalfOpen() {
            return maxWaitInHalfOpen;
        }

        /**
         * @param maxWaitInHalfOpen how long probes may take to report before the breaker reopens (library default 60s)
         */
        public void setMaxWaitInHalfOpen(@Nullable Duration maxWaitInHalfOpen) {
            this.maxWaitInHalfOpen = maxWaitInHalfOpen;
        }

        /**
         * @return exception class names that count as failures (library default: every Exception); null when not set
         */
        public @Nullable List<String> getRecordOn() {
            return recordOn;
        }

        /** @param recordOn exception class names that count as failures (library default: every Exception) */
        public void setRecordOn(@Nullable List<String> recordOn) {
            this.recordOn = recordOn;
        }

        /** @return exception class names that count neither way; null when not set */
        public @Nullable List<String> getIgnore() {
            return ignore;
        }

        /** @param ignore exception class names that count neither way */
        public void setIgnore(@Nullable List<String> ignore) {
            this.ignore = ignore;
        }
    }
}
