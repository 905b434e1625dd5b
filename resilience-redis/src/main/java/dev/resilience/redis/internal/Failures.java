package dev.resilience.redis.internal;

import dev.resilience.core.internal.Throwables;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a Lettuce failure into text for one log line. Lettuce wraps the reason a connection failed
 * ({@code WRONGPASS ...}, {@code NOAUTH ...}, a TLS handshake error) in a {@code RedisConnectionException}
 * whose own message says only "Unable to connect to host:port"; the line must carry the reason, and never
 * a password. Stateless.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * {@code error} and each distinct cause below it, {@code "; caused by "} between them, every part
     * passed through {@link UriRedaction}: e.g. {@code RedisConnectionException: Unable to connect to
     * 127.0.0.1:6379; caused by RedisCommandExecutionException: WRONGPASS invalid username-password pair}.
     */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Throwable current = Throwables.unwrap(error);
        String previous = null;
        for (int depth = 0; current != null && depth < 8; depth++) {
            if ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
                current = current.getCause(); // a wrapper that only repeats its cause
                continue;
            }
            String message = current.getMessage();
            String part = current.getClass().getSimpleName() + (message == null ? "" : ": " + message);
            if (previous == null || message == null || !previous.contains(message)) { // skip causes that repeat their wrapper
                if (text.length() > 0) {
                    text.append("; caused by ");
                }
                text.append(part);
            }
            previous = part;
            current = current.getCause() == current ? null : current.getCause();
        }
        return UriRedaction.redact(text.toString());
    }
}
