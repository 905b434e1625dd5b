package dev.resilience.queue;

import dev.resilience.core.internal.Arguments;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A unit of work to enqueue: a type (which selects the handler), a payload, an optional idempotency key,
 * the earliest time to run and a priority (higher runs first among ready tasks).
 *
 * <pre>{@code
 * Task task = Task.json("order.webhook", "{\"order\":42}").idempotencyKey("order-42-paid").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The payload array is copied in and out.
 */
public final class Task {

    private final String type;
    private final byte[] payload;
    private final @Nullable String idempotencyKey;
    private final @Nullable Instant runAt;
    private final int priority;

    private Task(Builder b) {
        this.type = b.type;
        this.payload = b.payload;
        this.idempotencyKey = b.idempotencyKey;
        this.runAt = b.runAt;
        this.priority = b.priority;
    }

    /**
     * A task of {@code type} with a binary payload.
     *
     * @param type    the task type, which selects the handler
     * @param payload the payload, copied
     * @return a builder (no key, at once, priority 0)
     * @throws IllegalArgumentException if {@code type} is blank
     * @throws NullPointerException if an argument is null
     */
    public static Builder of(String type, byte[] payload) {
        return new Builder(type, Objects.requireNonNull(payload, "payload").clone());
    }

    /**
     * A task of {@code type} whose payload is {@code json} in UTF-8 (read it with {@link TaskContext#payloadAsString()}).
     *
     * @param type the task type, which selects the handler
     * @param json the payload as JSON text
     * @return a builder (no key, at once, priority 0)
     */
    public static Builder json(String type, String json) {
        return new Builder(type, Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The task type, which selects the handler.
     *
     * @return the type
     */
    public String type() {
        return type;
    }

    /**
     * The payload.
     *
     * @return a copy of the payload bytes
     */
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * The idempotency key, or null.
     *
     * @return the key, or null when none was given
     */
    public @Nullable String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * The earliest time to run, or null for "now" (the database's clock).
     *
     * @return the instant, or null to run at once
     */
    public @Nullable Instant runAt() {
        return runAt;
    }

    /**
     * The priority: higher runs first among ready tasks.
     *
     * @return the priority (default 0)
     */
    public int priority() {
        return priority;
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public String toString() {
        return "Task{" + type + ", " + payload.length + " bytes" + (idempotencyKey == null ? "" : ", key " + idempotencyKey)
                + (runAt == null ? "" : ", at " + runAt) + (priority == 0 ? "" : ", priority " + priority) + "}";
    }

    /** Builds a {@link Task}. Not thread-safe. */
    public static final class Builder {
        private final String type;
        private final byte[] payload;
        private @Nullable String idempotencyKey;
        private @Nullable Instant runAt;
        private int priority;

        private Builder(String type, byte[] payload) {
            Objects.requireNonNull(type, "type");
            if (type.isBlank() || type.length() > 200) {
                throw new IllegalArgumentException("type must be 1 to 200 characters and not blank, was '" + type + "'");
            }
            this.type = type;
            this.payload = payload;
        }

        /**
         * A key unique per type: enqueueing a second task of the same type and key is a no-op that
         * {@link EnqueueResult#duplicate()} reports, for as long as the first task exists (until it is
         * purged after success, or discarded from the dead letter queue). Handlers get it to pass on to the
         * remote side.
         *
         * @param key the key, unique among the queue's tasks
         * @return this builder
         * @throws IllegalArgumentException if {@code key} is blank or longer than 200 characters
         */
        public Builder idempotencyKey(String key) {
            Objects.requireNonNull(key, "idempotencyKey");
            if (key.isBlank() || key.length() > 200) {
                throw new IllegalArgumentException("idempotencyKey must be 1 to 200 characters and not blank, was '"
                        + key + "'");
            }
            this.idempotencyKey = key;
            return this;
        }

        /**
         * Not before {@code runAt} (default: at once).
         *
         * @param runAt the earliest instant
         * @return this builder
         */
        public Builder runAt(Instant runAt) {
            this.runAt = Objects.requireNonNull(runAt, "runAt");
            return this;
        }

        /**
         * Among ready tasks, higher priorities are claimed first (default 0).
         *
         * @param priority higher runs first; any int
         * @return this builder
         * @throws IllegalArgumentException if {@code priority} is outside -1000..1000
         */
        public Builder priority(int priority) {
            this.priority = Arguments.between("priority", priority, -1000, 1000);
            return this;
        }

        /**
         * Builds the task.
         *
         * @return an immutable task to pass to {@link TaskQueue#enqueue}
         */
        public Task build() {
            return new Task(this);
        }
    }
}
