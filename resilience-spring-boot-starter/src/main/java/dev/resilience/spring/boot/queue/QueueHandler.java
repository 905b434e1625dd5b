package dev.resilience.spring.boot.queue;

import dev.resilience.queue.TaskHandler;
import java.util.Objects;

/**
 * A handler for one task type, as a bean: the starter registers every bean of this type with the
 * {@code TaskQueue} it builds. The type's retry policy comes from {@code resilience.queue.types.<type>.*}
 * (or a {@link TaskQueueCustomizer} for what properties cannot say).
 *
 * <pre>{@code
 * @Bean
 * QueueHandler orderPaid(Mailer mailer) {
 *     return QueueHandler.of("order.paid", task -> mailer.sendReceipt(task.payloadAsString()));
 * }
 * }</pre>
 *
 * @param type    the task type it runs
 * @param handler runs one attempt; called from the queue's worker threads
 */
public record QueueHandler(String type, TaskHandler handler) {

    /**
     * Checks the arguments.
     *
     * @param type    the task type it runs
     * @param handler runs one attempt
     */
    public QueueHandler {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
    }

    /**
     * A handler for one task type.
     *
     * @param type    the task type it runs
     * @param handler runs one attempt
     * @return the registration
     */
    public static QueueHandler of(String type, TaskHandler handler) {
        return new QueueHandler(type, handler);
    }
}
