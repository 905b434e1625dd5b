package dev.resilience.health;

import dev.resilience.core.internal.BearerToken;
import org.jspecify.annotations.Nullable;

/**
 * Who may use the sensitive endpoints ({@code GET /health/detailed}, which shows internals, and
 * {@code POST /alerts/{id}/resolve}, which changes state): nobody ({@link #disabled()}, the default:
 * they answer 404), holders of a bearer token ({@link #token(String)}: {@code Authorization: Bearer
 * <token>}, else 401), or everybody ({@link #open()}, for development or a port that only operators
 * reach).
 *
 * <p>The token is compared in constant time (on SHA-256 digests, so its length does not leak either)
 * and never appears in logs, messages or {@link #toString()}; the queue module's admin handler checks
 * its token the same way (one check, in core). Immutable and thread-safe.
 */
public final class EndpointAccess {

    private static final EndpointAccess DISABLED = new EndpointAccess(Mode.DISABLED, null);
    private static final EndpointAccess OPEN = new EndpointAccess(Mode.OPEN, null);

    enum Mode { DISABLED, TOKEN, OPEN }

    private final Mode mode;
    /** Null unless the mode is TOKEN. */
    private final @Nullable BearerToken token;

    private EndpointAccess(Mode mode, @Nullable BearerToken token) {
        this.mode = mode;
        this.token = token;
    }

    /**
     * {@return access that answers 404 to every guarded endpoint (the default)}
     *
     */
    public static EndpointAccess disabled() {
        return DISABLED;
    }

    /**
     * Anyone may call the endpoints.
     *
     * @return open access; use it only behind a network boundary that keeps strangers out
     */
    public static EndpointAccess open() {
        return OPEN;
    }

    /**
     * Callers must send {@code Authorization: Bearer <token>}.
     *
     * @param token the bearer token, at least 16 characters; never logged
     * @return token access
     * @throws IllegalArgumentException if the token is shorter than 16 characters (the message gives
     *         its length, never the token)
     */
    public static EndpointAccess token(String token) {
        return new EndpointAccess(Mode.TOKEN, BearerToken.of(token));
    }

    Mode mode() {
        return mode;
    }

    /** Whether the Authorization header value grants access (always true when open). */
    boolean permits(@Nullable String authorization) {
        if (mode == Mode.OPEN) {
            return true;
        }
        return mode == Mode.TOKEN && token != null && token.permits(authorization);
    }

    @Override
    public String toString() {
        return "EndpointAccess{" + mode + "}";
    }
}
