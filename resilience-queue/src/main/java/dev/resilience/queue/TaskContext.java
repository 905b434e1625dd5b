package dev.resilience.queue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

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
    private final String idempotencyKey;
    private final int attempt;
    private final AttemptFailure previousFailure;
    private final Instant deadline;
    private final Instant createdAt;

    TaskContext(long id, String type, byte[] payload, String idempotencyKey, int attempt,
            AttemptFailure previousFailure, Instant deadline, Instant createdAt) {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.idempotencyKey = idempotencyKey;
        this.attempt = attempt;
        this.previousFailure = previousFailure;
        this.deadline = deadline;
        this.createdAt = createdAt;
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** A copy of the payload. */
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload decoded as UTF-8 (for tasks made with {@link Task#json}). */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The idempotency key given at enqueue, to pass on to the remote side; empty when none was given. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    /** The attempt number, 1 for the first run. */
    public int attempt() {
        return attempt;
    }

    /** The failure of the previous attempt; empty on the first attempt. */
    public Optional<AttemptFailure> previousFailure() {
        return Optional.ofNullable(previousFailure);
    }

    /** Finish before this instant (the queue's clock); later, the task is given to another worker. */
    public Instant deadline() {
        return deadline;
    }

    /** When the task was enqueued (the database's clock). */
    public Instant createdAt() {
        return createdAt;
    }

    @Override
    public String toString() {
        return "TaskContext{" + type + " #" + id + ", attempt " + attempt + "}";
    }
}
