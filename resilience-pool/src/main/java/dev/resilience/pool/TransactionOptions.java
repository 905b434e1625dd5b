package dev.resilience.pool;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Per-call settings of a unit of work: isolation level, statement timeout, attempts and whether the
 * work is idempotent. Build once and reuse:
 * <pre>{@code
 * static final TransactionOptions TRANSFER = TransactionOptions.builder()
 *         .isolation(Isolation.SERIALIZABLE).maxAttempts(5).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Unset values fall back to the pool's: the server's default isolation
 * (READ COMMITTED for PostgreSQL), the pool's statement timeout and attempts, not idempotent.
 */
public final class TransactionOptions {

    private static final TransactionOptions DEFAULTS = builder().build();

    private final @Nullable Isolation isolation;
    private final @Nullable Duration statementTimeout;
    private final int maxAttempts;
    private final boolean idempotent;

    private TransactionOptions(Builder builder) {
        this.isolation = builder.isolation;
        this.statementTimeout = builder.statementTimeout;
        this.maxAttempts = builder.maxAttempts;
        this.idempotent = builder.idempotent;
    }

    /**
     * The options that leave everything to the pool.
     *
     * @return the shared default options
     */
    public static TransactionOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with nothing set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The isolation level, or null for the server's default.
     *
     * @return the level, or null
     */
    public @Nullable Isolation isolation() {
        return isolation;
    }

    /**
     * The statement timeout for this unit, or null for the pool's.
     *
     * @return the timeout, or null
     */
    public @Nullable Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * The maximum number of attempts, or 0 for the pool's.
     *
     * @return the attempts, or 0
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * True when running the work twice does no harm, so a commit of unknown outcome may be retried.
     *
     * @return true when marked idempotent
     */
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public String toString() {
        return "TransactionOptions{isolation=" + isolation + ", statementTimeout=" + statementTimeout
                + ", maxAttempts=" + maxAttempts + ", idempotent=" + idempotent + "}";
    }

    /** Builds {@link TransactionOptions}. Not thread-safe; the options it builds are. */
    public static final class Builder {
        private @Nullable Isolation isolation;
        private @Nullable Duration statementTimeout;
        private int maxAttempts;
        private boolean idempotent;

        private Builder() {
        }

        /**
         * The isolation level of the transaction.
         *
         * @param isolation the level for this unit
         * @return this builder
         */
        public Builder isolation(Isolation isolation) {
            this.isolation = Objects.requireNonNull(isolation, "isolation");
            return this;
        }

        /**
         * The statement timeout inside this unit ({@code SET LOCAL statement_timeout}); zero disables it.
         *
         * @param statementTimeout zero or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder statementTimeout(Duration statementTimeout) {
            Objects.requireNonNull(statementTimeout, "statementTimeout");
            if (statementTimeout.isNegative()) {
                throw new IllegalArgumentException("statementTimeout must not be negative: " + statementTimeout);
            }
            this.statementTimeout = statementTimeout;
            return this;
        }

        /**
         * How many times the unit runs at most (1 = no retry).
         *
         * @param maxAttempts 1 or more
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Marks the work as idempotent: a commit that failed in flight ({@link OutcomeUnknownException})
         * is then retried too. Default false.
         *
         * @param idempotent true when the work may run twice
         * @return this builder
         */
        public Builder idempotent(boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * The options.
         *
         * @return the immutable options
         */
        public TransactionOptions build() {
            return new TransactionOptions(this);
        }
    }
}
