package dev.resilience.health;

import dev.resilience.core.ResilienceException;

/**
 * A webhook answered with an HTTP error status. {@link #isRetryable()} is true for 408, 429 and 5xx,
 * which the {@link WebhookNotifier}'s default retry retries; other 4xx mean the request itself is
 * wrong and are not retried. The message holds the status only, never the URL (which often embeds a
 * token) nor the response body.
 */
public final class WebhookException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status the webhook answered. */
    private final int status;

    WebhookException(int status) {
        super("webhook answered HTTP " + status);
        this.status = status;
    }

    /** {@return the HTTP status the webhook answered} */
    public int status() {
        return status;
    }

    /** {@return whether a later attempt may succeed (408, 429, 5xx)} */
    public boolean isRetryable() {
        return status == 408 || status == 429 || status >= 500;
    }
}
