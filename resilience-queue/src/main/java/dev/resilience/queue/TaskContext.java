package dev.resilience.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TaskHandler} gets for one attempt: the task, the attempt number (from 1), the previous
 * failure and the deadline after which the worker stops extending the lease (the task is then
 * redelivered, and this attempt's outcome is ignored).
 *
 * <p>Immutable and thread-safe.
 */
public final class TaskContext {

    private final long id;
    private final String type;
    private final byte[] payload;
    private final @Nullable String idempotencyKey;
    private final int attempt;
    private final @Nullable AttemptFailure previousFailure;
    private final Instant deadline;
    private final Instant createdAt;

    TaskContext(long id, String type, byte[] payload, @Nullable String idempotencyKey, int attempt,
            @Nullable AttemptFailure previousFailure, Instant deadline, Instant createdAt) {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.idempotencyKey = idempotencyKey;
        this.attempt = attempt;
        this.previousFailure = previousFailure;
        this.deadline = deadline;
        this.createdAt = createdAt;
    }

    /**
     * The task's id, unique in its queue.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * The task type.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * A copy of the payload.
     *
     * @return a fresh copy on every call
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The payload decoded as UTF-8 (for tasks made with {@link Task#json}).
     *
     * @return the payload text
     */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * The idempotency key given at enqueue, to pass on to the remote side; empty when none was given.
     *
     * @return the key, or empty
     */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /**
     * The attempt number, 1 for the first run.
     *
     * @return 1 or more
     */
    public int attempt() {
        return attempt;
    }

    /**
     * The failure of the previous attempt; empty on the first attempt.
     *
     * @return the failure, or empty
     */
    public Optional<AttemptFailure> previousFailure() {
        return Optional.ofNullable(previousFailure);
    }

    /**
     * Finish before this instant (the queue's clock); later, the task is given to another worker.
     *
     * @return the deadline
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * When the task was enqueued (the database's clock).
     *
     * @return the enqueue time
     */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "TaskContext{" + type + " #" + id + ", attempt " + attempt + "}";
    }
}
