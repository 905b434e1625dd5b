package dev.resilience.queue;

import java.util.Objects;

/**
 * Selects tasks in the dead letter queue: all of them, one type, or one id. Immutable.
 *
 * @param id   the task id, or null for any
 * @param type the type, or null for any
 */
public record DeadLetterFilter(Long id, String type) {

    /** Every dead task. */
    public static DeadLetterFilter all() {
        return new DeadLetterFilter(null, null);
    }

    /** Dead tasks of {@code type}. */
    public static DeadLetterFilter ofType(String type) {
        return new DeadLetterFilter(null, Objects.requireNonNull(type, "type"));
    }

    /** The dead task {@code id}. */
    public static DeadLetterFilter ofId(long id) {
        return new DeadLetterFilter(id, null);
    }
}
