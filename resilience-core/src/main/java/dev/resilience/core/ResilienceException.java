package dev.resilience.core;

import org.jspecify.annotations.Nullable;

/**
 * The base of every exception this library throws itself. Exceptions thrown by the caller's own work
 * always reach the caller unchanged, never wrapped in this type.
 *
 * <p>Rejections ({@link #isRejection()}: breaker open, bulkhead full, rate limited) are created
 * without a stack trace, because they are expected under load and must stay cheap. They do take
 * suppressed exceptions (which cost nothing until one is added): a {@link Retry} that ends on a rejection
 * attaches the failures of its earlier attempts to it, so the caller sees why the breaker opened.
 */
public class ResilienceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Whether this is a cheap rejection rather than a failure ({@link #isRejection()}).
     */
    private final boolean rejection;

    /**
     * A failure with a stack trace.
     *
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public ResilienceException(String message, @Nullable Throwable cause) {
        super(message, cause);
        this.rejection = false;
    }

    /**
     * A failure with a stack trace.
     *
     * @param message what failed
     */
    public ResilienceException(String message) {
        this(message, null);
    }

    /**
     * A rejection or failure; when {@code rejection} is true no stack trace is recorded.
     *
     * @param message what failed, or null when a subclass builds it on demand
     * @param cause the underlying failure, or null
     * @param rejection true for a cheap rejection without stack trace
     */
    protected ResilienceException(@Nullable String message, @Nullable Throwable cause, boolean rejection) {
        super(message, cause, true, !rejection);
        this.rejection = rejection;
    }

    /** {@return true for a cheap rejection the caller may treat as back-pressure rather than as a failure} */
    public boolean isRejection() {
        return rejection;
    }
}
