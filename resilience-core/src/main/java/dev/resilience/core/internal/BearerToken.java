package dev.resilience.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The one bearer-token check of the operator endpoints (health's sensitive endpoints, the queue's admin
 * handler): {@code Authorization: Bearer <token>} compared in constant time on SHA-256 digests, so
 * neither the token nor its length leaks through timing. The token is never kept in clear, logged or
 * shown by {@link #toString()}.
 *
 * <p>Internal: not part of the public API, may change without notice. Exported only to the sibling
 * modules. Immutable and thread-safe.
 */
public final class BearerToken {

    /** Shortest token accepted: shorter ones are guessable. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest;

    private BearerToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * A check for {@code token}.
     *
     * @throws NullPointerException if {@code token} is null
     * @throws IllegalArgumentException if it is shorter than {@value #MIN_LENGTH} characters (the
     *         message gives its length, never the token)
     */
    public static BearerToken of(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() < MIN_LENGTH) {
            throw Arguments.invalid("token", "be at least " + MIN_LENGTH + " characters", token.length());
        }
        return new BearerToken(digest(token));
    }

    /** Whether an {@code Authorization} header value (null when absent) carries this token. */
    public boolean permits(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(digest, digest(authorization.substring(7).trim()));
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
        return "BearerToken{***}";
    }
}
