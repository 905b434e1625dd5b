package dev.resilience.queue.webhook;

import dev.resilience.core.ResilienceException;

/** The receiver answered 5xx or 408: worth retrying with backoff. */
public class WebhookFailedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status the receiver answered; serialized. */
    private final int status;

    /**
     * A failure worth retrying that the receiver answered with {@code status}.
     *
     * @param status  the HTTP status (5xx, 408 or 429)
     * @param message what was sent and how it failed; never the secret
     */
    public WebhookFailedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The HTTP status the receiver answered.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
