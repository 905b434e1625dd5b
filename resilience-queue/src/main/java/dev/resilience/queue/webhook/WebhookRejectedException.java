package dev.resilience.queue.webhook;

import dev.resilience.core.ResilienceException;

/**
 * The receiver answered with a 4xx status other than 408 and 429: sending the same request again will not
 * help, so {@link WebhookSender#policyBuilder()} sends the task to the dead letter queue at once.
 */
public class WebhookRejectedException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status the receiver answered; serialized. */
    private final int status;

    /**
     * A refusal the receiver answered with {@code status}.
     *
     * @param status  the HTTP status (a 4xx other than 408 and 429)
     * @param message what was sent and how it was refused; never the secret
     */
    public WebhookRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /**
     * The HTTP status the receiver answered.
     *
     * @return the status code, 400 to 499
     */
    public int status() {
        return status;
    }
}
