package dev.resilience.queue.webhook;

import dev.resilience.core.ResilienceException;

/**
 * The receiver answered with a 4xx status other than 408 and 429: sending the same request again will not
 * help, so {@link WebhookSender#policyBuilder()} sends the task to the dead letter queue at once.
 */
public class WebhookRejectedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public WebhookRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the receiver answered. */
    public int status() {
        return status;
    }
}
