package dev.resilience.spring.boot;

import dev.resilience.core.Jitter;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Named retry configurations and instances: {@code resilience.retry.configs.<config>.*} and
 * {@code resilience.retry.instances.<name>.*}, the keys of core's properties binder. An unknown key fails
 * start-up. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.retry", ignoreUnknownFields = false)
public class RetryProperties extends NamedPolicyProperties<RetryProperties.Settings> {

    /** No configurations and no instances, until Spring binds them. */
    public RetryProperties() {
        super("retry");
    }

    /** How the wait between attempts grows. */
    public enum BackoffKind {
        /** No wait. */
        NONE,
        /** The same wait every time. */
        FIXED,
        /** The wait multiplies by backoff-multiplier up to backoff-max-delay. */
        EXPONENTIAL
    }

    /** The settings of one retry configuration or instance. */
    public static class Settings extends PolicySettings {
        /** Attempts in all, the first included (library default 3). */
        private @Nullable Integer maxAttempts;
        /** No attempt starts that would end after this time from the start of the call. */
        private @Nullable Duration maxDuration;
        /** Exception class names that are retried (library default: every Exception). */
        private @Nullable List<String> retryOn;
        /** Exception class names that are never retried. */
        private @Nullable List<String> abortOn;
        /** Whether breaker and bulkhead rejections are retried (library default false). */
        private @Nullable Boolean retryRejections;
        /** The backoff kind (library default exponential). */
        private @Nullable BackoffKind backoff;
        /** The first wait (library default 100ms). */
        private @Nullable Duration backoffDelay;
        /** The exponential backoff's multiplier (library default 2). */
        private @Nullable Double backoffMultiplier;
        /** The longest wait of an exponential backoff (library default 5s). */
        private @Nullable Duration backoffMaxDelay;
        /** The jitter (library default full for exponential, none for fixed). */
        private @Nullable Jitter jitter;

        /** Unset settings: the base configuration's, or the library's, apply. */
        public Settings() {
        }

        @Override
        void collect(BiConsumer<String, Object> out) {
            put(out, "max-attempts", maxAttempts);
            put(out, "max-duration", maxDuration);
            put(out, "retry-on", retryOn);
            put(out, "abort-on", abortOn);
            put(out, "retry-rejections", retryRejections);
            put(out, "backoff", backoff);
            put(out, "backoff-delay", backoffDelay);
            put(out, "backoff-multiplier", backoffMultiplier);
            put(out, "backoff-max-delay", backoffMaxDelay);
            put(out, "jitter", jitter);
        }

        /** @return attempts in all, the first included (library default 3); null when not set */
        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts attempts in all, the first included (library default 3) */
        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return no attempt starts that would end after this time from the start of the call; null when not set */
        public @Nullable Duration getMaxDuration() {
            return maxDuration;
        }

        /** @param maxDuration no attempt starts that would end after this time from the start of the call */
        public void setMaxDuration(@Nullable Duration maxDuration) {
            this.maxDuration = maxDuration;
        }

        /** @return exception class names that are retried (library default: every Exception); null when not set */
        public @Nullable List<String> getRetryOn() {
            return retryOn;
        }

        /** @param retryOn exception class names that are retried (library default: every Exception) */
        public void setRetryOn(@Nullable List<String> retryOn) {
            this.retryOn = retryOn;
        }

        /** @return exception class names that are never retried; null when not set */
        public @Nullable List<String> getAbortOn() {
            return abortOn;
        }

        /** @param abortOn exception class names that are never retried */
        public void setAbortOn(@Nullable List<String> abortOn) {
            this.abortOn = abortOn;
        }

        /** @return whether breaker and bulkhead rejections are retried (library default false); null when not set */
        public @Nullable Boolean getRetryRejections() {
            return retryRejections;
        }

        /** @param retryRejections whether breaker and bulkhead rejections are retried (library default false) */
        public void setRetryRejections(@Nullable Boolean retryRejections) {
            this.retryRejections = retryRejections;
        }

        /** @return the backoff kind (library default exponential); null when not set */
        public @Nullable BackoffKind getBackoff() {
            return backoff;
        }

        /** @param backoff the backoff kind (library default exponential) */
        public void setBackoff(@Nullable BackoffKind backoff) {
            this.backoff = backoff;
        }

        /** @return the first wait (library default 100ms); null when not set */
        public @Nullable Duration getBackoffDelay() {
            return backoffDelay;
        }

        /** @param backoffDelay the first wait (library default 100ms) */
        public void setBackoffDelay(@Nullable Duration backoffDelay) {
            this.backoffDelay = backoffDelay;
        }

        /** @return the exponential backoff's multiplier (library default 2); null when not set */
        public @Nullable Double getBackoffMultiplier() {
            return backoffMultiplier;
        }

        /** @param backoffMultiplier the exponential backoff's multiplier (library default 2) */
        public void setBackoffMultiplier(@Nullable Double backoffMultiplier) {
            this.backoffMultiplier = backoffMultiplier;
        }

        /** @return the longest wait of an exponential backoff (library default 5s); null when not set */
        public @Nullable Duration getBackoffMaxDelay() {
            return backoffMaxDelay;
        }

        /** @param backoffMaxDelay the longest wait of an exponential backoff (library default 5s) */
        public void setBackoffMaxDelay(@Nullable Duration backoffMaxDelay) {
            this.backoffMaxDelay = backoffMaxDelay;
        }

        /** @return the jitter (library default full for exponential, none for fixed); null when not set */
        public @Nullable Jitter getJitter() {
            return jitter;
        }

        /** @param jitter the jitter (library default full for exponential, none for fixed) */
        public void setJitter(@Nullable Jitter jitter) {
            this.jitter = jitter;
        }
    }
}
