package dev.resilience.health;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Who may use the sensitive endpoints ({@code GET /health/detailed}, which shows internals, and
 * {@code POST /alerts/{id}/resolve}, which changes state): nobody ({@link #disabled()}, the default:
 * they answer 404), holders of a bearer token ({@link #token(String)}: {@code Authorization: Bearer
 * <token>}, else 401), or everybody ({@link #open()}, for development or a port that only operators
 * reach).
 *
 * <p>The token is compared in constant time (on SHA-256 digests, so its length does not leak either)
 * and never appears in logs, messages or {@link #toString()}. Immutable and thread-safe.
 */
public final class EndpointAccess {

    private static final EndpointAccess DISABLED = new EndpointAccess(Mode.DISABLED, null);
    private static final EndpointAccess OPEN = new EndpointAccess(Mode.OPEN, null);

    enum Mode { DISABLED, TOKEN, OPEN }

    private final Mode mode;
    private final byte[] tokenDigest;

    private EndpointAccess(Mode mode, byte[] tokenDigest) {
        this.mode = mode;
        this.tokenDigest = tokenDigest;
    }

    /** The endpoints answer 404. */
    public static EndpointAccess disabled() {
        return DISABLED;
    }

    /** Anyone may call the endpoints. */
    public static EndpointAccess open() {
        return OPEN;
    }

    /**
     * Callers must send {@code Authorization: Bearer <token>}.
     *
     * @throws IllegalArgumentException if the token is shorter than 16 characters
     */
    public static EndpointAccess token(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() < 16) {
            // the value itself is never echoed
            throw new IllegalArgumentException("token must be at least 16 characters, was " + token.length());
        }
        return new EndpointAccess(Mode.TOKEN, digest(token));
    }

    Mode mode() {
        return mode;
    }

    /** Whether the Authorization header value grants access (always true when open). */
    boolean permits(String authorization) {
        if (mode == Mode.OPEN) {
            return true;
        }
        if (mode == Mode.DISABLED || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, digest(authorization.substring(7).trim()));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "EndpointAccess{" + mode + "}";
    }
}
