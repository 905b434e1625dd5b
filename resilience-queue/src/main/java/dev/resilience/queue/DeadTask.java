package dev.resilience.queue;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A task in the dead letter queue with its whole attempt history, oldest first.
 *
 * @param id             the task's id
 * @param type           its type
 * @param payload        its payload (do not modify)
 * @param idempotencyKey its key, or null
 * @param attempts       attempts made
 * @param createdAt      when it was enqueued
 * @param deadAt         when it was dead-lettered
 * @param history        every failed attempt, oldest first
 */
public record DeadTask(long id, String type, byte[] payload, @Nullable String idempotencyKey, int attempts, Instant createdAt,
        Instant deadAt, List<AttemptFailure> history) {

    /**
     * The last failure, the one that dead-lettered the task.
     *
     * @return the newest entry of {@link #history()}, or null when the history is empty
     */
    public @Nullable AttemptFailure lastFailure() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }
}
