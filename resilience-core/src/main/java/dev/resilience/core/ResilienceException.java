package dev.resilience.core;

/**
 * The base of every exception this library throws itself. Exceptions thrown by the caller's own work
 * always reach the caller unchanged, never wrapped in this type.
 *
 * <p>Rejections ({@link #isRejection()}: breaker open, bulkhead full, rate limited) are created
 * without a stack trace, because they are expected under load and must stay cheap.
 */
public class ResilienceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean rejection;

    /** A failure with a stack trace. */
    public ResilienceException(String message, Throwable cause) {
        super(message, cause);
        this.rejection = false;
    }

    /** A failure with a stack trace. */
    public ResilienceException(String message) {
        this(message, null);
    }

    /**
     * A rejection or failure; when {@code rejection} is true neither a stack trace nor suppressed
     * exceptions are recorded.
     */
    protected ResilienceException(String message, Throwable cause, boolean rejection) {
        super(message, cause, !rejection, !rejection);
        this.rejection = rejection;
    }

    /** True for a cheap rejection the caller may treat as back-pressure rather than as a failure. */
    public boolean isRejection() {
        return rejection;
    }
}
