package dev.resilience.spring.boot.queue;

import dev.resilience.core.Backoff;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.Jitter;
import dev.resilience.queue.DeadLetterRetention;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A {@link TaskQueue} on the application's DataSource (the starter's {@code ResilientDataSource} when
 * resilience-pool is there) from {@code resilience.queue.*}, with a handler for every {@link QueueHandler}
 * bean, then the {@link TaskQueueCustomizer} beans; its schema migrated and its workers started with the
 * context and stopped before the DataSource closes ({@link TaskQueueLifecycle}); its health as a core
 * {@link HealthCheck} bean, which the starter's health bridge shows. Runs when resilience-queue is on the
 * class path and there is one DataSource; off with {@code resilience.queue.enabled=false}; each bean yields
 * to one the application defines.
 */
@AutoConfiguration(afterName = {"dev.resilience.spring.boot.pool.ResiliencePoolAutoConfiguration",
    "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"})
@ConditionalOnClass(TaskQueue.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "resilience.queue", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(QueueProperties.class)
public class ResilienceQueueAutoConfiguration {

    /** Created by Spring. */
    public ResilienceQueueAutoConfiguration() {
    }

    /**
     * The queue.
     *
     * @param dataSource  where its connections come from
     * @param properties  {@code resilience.queue.*}
     * @param handlers    one per task type
     * @param customizers applied last, in order
     * @return the queue, not started
     * @throws IllegalArgumentException naming the property, when a value is out of range or a type under
     *                                  {@code resilience.queue.types} has no handler
     */
    @Bean
    @ConditionalOnMissingBean
    public TaskQueue taskQueue(DataSource dataSource, QueueProperties properties, ObjectProvider<QueueHandler> handlers,
            ObjectProvider<TaskQueueCustomizer> customizers) {
        TaskQueue.Builder builder = TaskQueue.builder(dataSource).schema(properties.getSchema());
        Optional.ofNullable(properties.getInstanceName()).ifPresent(builder::instanceName);
        Optional.ofNullable(properties.getWorkers()).ifPresent(builder::workers);
        Optional.ofNullable(properties.getBatchSize()).ifPresent(builder::batchSize);
        Optional.ofNullable(properties.getLeaseDuration()).ifPresent(builder::leaseDuration);
        Optional.ofNullable(properties.getHeartbeatInterval()).ifPresent(builder::heartbeatInterval);
        Optional.ofNullable(properties.getPollInterval()).ifPresent(builder::pollInterval);
        Optional.ofNullable(properties.getShutdownTimeout()).ifPresent(builder::shutdownTimeout);
        if (properties.getDeadLetterRetention() != null || properties.getDeadLetterAction() != null) {
            builder.deadLetterRetention(
                    properties.getDeadLetterRetention() != null ? properties.getDeadLetterRetention() : Duration.ofDays(30),
                    properties.getDeadLetterAction() != null ? properties.getDeadLetterAction() : DeadLetterRetention.ARCHIVE);
        }
        handlers.orderedStream().forEach(h -> builder.handler(h.type(), h.handler(), policy(properties, h.type())));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        TaskQueue queue = builder.build();
        Set<String> unhandled = new TreeSet<>(properties.getTypes().keySet());
        unhandled.removeAll(queue.types());
        if (!unhandled.isEmpty()) {
            throw new IllegalArgumentException("resilience.queue.types." + unhandled.iterator().next()
                    + " names a task type without a handler: define a QueueHandler bean for it (types with a handler: "
                    + new TreeSet<>(queue.types()) + ")");
        }
        return queue;
    }

    /** The type's policy from {@code resilience.queue.types.<type>.*}, the module's defaults for what is unset. */
    static TaskPolicy policy(QueueProperties properties, String type) {
        QueueProperties.TypePolicy settings = properties.getTypes().get(type);
        if (settings == null) {
            return TaskPolicy.ofDefaults();
        }
        TaskPolicy.Builder policy = TaskPolicy.builder();
        Optional.ofNullable(settings.getMaxAttempts()).ifPresent(policy::maxAttempts);
        Optional.ofNullable(settings.getTimeout()).ifPresent(policy::timeout);
        if (settings.getBackoffDelay() != null || settings.getBackoffMaxDelay() != null) {
            // the module's default shape: exponential with equal jitter, 1 s to 10 min
            policy.backoff(Backoff.exponential(
                    settings.getBackoffDelay() != null ? settings.getBackoffDelay() : Duration.ofSeconds(1),
                    settings.getBackoffMaxDelay() != null ? settings.getBackoffMaxDelay() : Duration.ofMinutes(10))
                    .withJitter(Jitter.EQUAL));
        }
        return policy.build();
    }

    /**
     * Migrates the schema and starts the workers with the context, closes the queue when it closes.
     *
     * @param queue the queue
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "resilience.queue", name = "auto-start", havingValue = "true", matchIfMissing = true)
    public TaskQueueLifecycle taskQueueLifecycle(TaskQueue queue) {
        return new TaskQueueLifecycle(queue);
    }

    /**
     * The queue's health: DOWN when the database cannot be reached, DEGRADED when a ready task has waited
     * longer than {@code resilience.queue.health-max-ready-age}.
     *
     * @param queue      the queue
     * @param properties {@code resilience.queue.*}
     * @return the check, shown by the starter's health bridge as {@code taskQueueHealthCheck}
     */
    @Bean
    @ConditionalOnMissingBean(name = "taskQueueHealthCheck")
    public HealthCheck taskQueueHealthCheck(TaskQueue queue, QueueProperties properties) {
        return queue.asHealthCheck(properties.getHealthMaxReadyAge());
    }
}
