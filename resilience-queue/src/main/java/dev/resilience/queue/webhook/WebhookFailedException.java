package dev.resilience.queue.webhook;

import dev.resilience.core.ResilienceException;

/** The receiver answered 5xx or 408: worth retrying with backoff. */
public class WebhookFailedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public WebhookFailedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the receiver answered. */
    public int status() {
        return status;
    }
}
