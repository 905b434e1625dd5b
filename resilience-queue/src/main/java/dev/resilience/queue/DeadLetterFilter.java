package dev.resilience.queue;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Selects tasks in the dead letter queue: all of them, one type, or one id. Immutable.
 *
 * @param id   the task id, or null for any
 * @param type the type, or null for any
 */
public record DeadLetterFilter(@Nullable Long id, @Nullable String type) {

    /**
     * Every dead task.
     *
     * @return a filter matching every dead task
     */
    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null);
    }

    /**
     * Dead tasks of {@code type}.
     *
     * @param type the task type
     * @return a filter matching that type
     */
    public static DeadLetterFilter ofType(String type) {
        return new DeadLetterFilter(null, Objects.requireNonNull(type, "type"));
    }

    /**
     * The dead task {@code id}.
     *
     * @param id the task id
     * @return a filter matching at most that task
     */
    public static DeadLetterFilter ofId(long id) {
        return new DeadLetterFilter(id, null);
    }
}
