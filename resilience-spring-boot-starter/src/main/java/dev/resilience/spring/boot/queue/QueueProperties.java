package dev.resilience.spring.boot.queue;

import dev.resilience.queue.DeadLetterRetention;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code resilience.queue.*}: the {@code TaskQueue} the starter builds on the application's DataSource. Unset
 * settings keep the module's defaults (its README). An unknown key fails start-up, as does a type name with
 * dots outside brackets ({@code types[order.paid]}), which Spring would otherwise read as the key
 * {@code order}. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.queue", ignoreUnknownFields = false)
public class QueueProperties {

    /** Whether the queue auto-configuration runs at all. */
    private boolean enabled = true;

    /** Whether the queue is migrated and its workers started with the application; off, the application calls migrate() and start(). */
    private boolean autoStart = true;

    /** The schema holding the queue's tables, created and migrated at start-up (a lower-case identifier). */
    private String schema = "resilience_queue";

    /** Names this instance in leases, for operators (module default: pid@host). */
    private @Nullable String instanceName;

    /** Handler threads in this instance (module default 4). */
    private @Nullable Integer workers;

    /** The most tasks one claim takes (module default 10). */
    private @Nullable Integer batchSize;

    /** How long a claimed task stays leased without a heartbeat (module default 30s). */
    private @Nullable Duration leaseDuration;

    /** How often leases are extended (module default a third of the lease). */
    private @Nullable Duration heartbeatInterval;

    /** The safety-net poll when no NOTIFY arrives (module default 10s). */
    private @Nullable Duration pollInterval;

    /** How long stopping waits for running handlers (module default 30s). */
    private @Nullable Duration shutdownTimeout;

    /** How long a dead task stays in the dead letter queue (module default 30 days). */
    private @Nullable Duration deadLetterRetention;

    /** What happens to a dead task after the retention: archive or delete (module default archive). */
    private @Nullable DeadLetterRetention deadLetterAction;

    /** The health check is DEGRADED when a task ready to run has waited longer than this. */
    private Duration healthMaxReadyAge = Duration.ofMinutes(5);

    /** Retry policies by task type; a type not listed gets the module's default policy. */
    private final Map<String, TypePolicy> types = new LinkedHashMap<>();

    /** Defaults; Spring binds the properties. */
    public QueueProperties() {
    }

    /** @return whether the queue auto-configuration runs at all */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the queue auto-configuration runs at all */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether the queue is migrated and its workers started with the application */
    public boolean isAutoStart() {
        return autoStart;
    }

    /** @param autoStart whether the queue is migrated and its workers started with the application */
    public void setAutoStart(boolean autoStart) {
        this.autoStart = autoStart;
    }

    /** @return the schema holding the queue's tables */
    public String getSchema() {
        return schema;
    }

    /** @param schema the schema holding the queue's tables (a lower-case identifier) */
    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** @return the instance's name in leases; null when not set */
    public @Nullable String getInstanceName() {
        return instanceName;
    }

    /** @param instanceName the instance's name in leases */
    public void setInstanceName(@Nullable String instanceName) {
        this.instanceName = instanceName;
    }

    /** @return handler threads in this instance; null when not set */
    public @Nullable Integer getWorkers() {
        return workers;
    }

    /** @param workers handler threads in this instance */
    public void setWorkers(@Nullable Integer workers) {
        this.workers = workers;
    }

    /** @return the most tasks one claim takes; null when not set */
    public @Nullable Integer getBatchSize() {
        return batchSize;
    }

    /** @param batchSize the most tasks one claim takes */
    public void setBatchSize(@Nullable Integer batchSize) {
        this.batchSize = batchSize;
    }

    /** @return how long a claimed task stays leased without a heartbeat; null when not set */
    public @Nullable Duration getLeaseDuration() {
        return leaseDuration;
    }

    /** @param leaseDuration how long a claimed task stays leased without a heartbeat */
    public void setLeaseDuration(@Nullable Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    /** @return how often leases are extended; null when not set */
    public @Nullable Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    /** @param heartbeatInterval how often leases are extended */
    public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    /** @return the safety-net poll interval; null when not set */
    public @Nullable Duration getPollInterval() {
        return pollInterval;
    }

    /** @param pollInterval the safety-net poll interval */
    public void setPollInterval(@Nullable Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /** @return how long stopping waits for running handlers; null when not set */
    public @Nullable Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** @param shutdownTimeout how long stopping waits for running handlers */
    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** @return how long a dead task stays in the dead letter queue; null when not set */
    public @Nullable Duration getDeadLetterRetention() {
        return deadLetterRetention;
    }

    /** @param deadLetterRetention how long a dead task stays in the dead letter queue */
    public void setDeadLetterRetention(@Nullable Duration deadLetterRetention) {
        this.deadLetterRetention = deadLetterRetention;
    }

    /** @return what happens to a dead task after the retention; null when not set */
    public @Nullable DeadLetterRetention getDeadLetterAction() {
        return deadLetterAction;
    }

    /** @param deadLetterAction what happens to a dead task after the retention */
    public void setDeadLetterAction(@Nullable DeadLetterRetention deadLetterAction) {
        this.deadLetterAction = deadLetterAction;
    }

    /** @return the age of the oldest ready task above which the health check is DEGRADED */
    public Duration getHealthMaxReadyAge() {
        return healthMaxReadyAge;
    }

    /** @param healthMaxReadyAge the age of the oldest ready task above which the health check is DEGRADED */
    public void setHealthMaxReadyAge(Duration healthMaxReadyAge) {
        this.healthMaxReadyAge = healthMaxReadyAge;
    }

    /** @return retry policies by task type, to which Spring binds {@code resilience.queue.types.*} */
    public Map<String, TypePolicy> getTypes() {
        return types;
    }

    /** The retry policy of one task type: {@code resilience.queue.types.<type>.*}. */
    public static class TypePolicy {

        /** Attempts in all, the first included (module default 5); 1 means never retried. */
        private @Nullable Integer maxAttempts;

        /** How long one attempt may run: the handler's deadline (module default 5m). */
        private @Nullable Duration timeout;

        /** The first retry's delay of the exponential backoff with equal jitter (module default 1s). */
        private @Nullable Duration backoffDelay;

        /** The longest delay of that backoff (module default 10m). */
        private @Nullable Duration backoffMaxDelay;

        /** Unset settings: the module's apply. */
        public TypePolicy() {
        }

        /** @return attempts in all, the first included; null when not set */
        public @Nullable Integer getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts attempts in all, the first included */
        public void setMaxAttempts(@Nullable Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return how long one attempt may run; null when not set */
        public @Nullable Duration getTimeout() {
            return timeout;
        }

        /** @param timeout how long one attempt may run */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the first retry's delay; null when not set */
        public @Nullable Duration getBackoffDelay() {
            return backoffDelay;
        }

        /** @param backoffDelay the first retry's delay */
        public void setBackoffDelay(@Nullable Duration backoffDelay) {
            this.backoffDelay = backoffDelay;
        }

        /** @return the longest retry delay; null when not set */
        public @Nullable Duration getBackoffMaxDelay() {
            return backoffMaxDelay;
        }

        /** @param backoffMaxDelay the longest retry delay */
        public void setBackoffMaxDelay(@Nullable Duration backoffMaxDelay) {
            this.backoffMaxDelay = backoffMaxDelay;
        }
    }
}
