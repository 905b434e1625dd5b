package dev.resilience.spring.boot.queue;

import dev.resilience.queue.TaskQueue;

/**
 * Adds what properties cannot say (a clock, listeners, a policy with a retry predicate) to the
 * {@link TaskQueue} the starter builds: every bean of this type is applied, in {@code @Order}, after the
 * {@code resilience.queue.*} properties and the {@link QueueHandler} beans.
 */
@FunctionalInterface
public interface TaskQueueCustomizer {

    /**
     * Adds settings or handlers to the queue being built.
     *
     * @param builder the builder, already holding the settings from the properties and the handler beans
     */
    void customize(TaskQueue.Builder builder);
}
