package dev.resilience.ratelimit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Keeps rate-limit keys short and safe to embed in a Redis hash tag. Stateless. */
public final class Keys {

    /** Keys longer than this are replaced by their hash. */
    public static final int MAX_LENGTH = 128;

    private Keys() {
    }

    /**
     * {@code key} itself when short and free of hash-tag braces, else {@code "#" + base64url(sha256(key))}
     * (43 characters): an attacker sending huge headers cannot make keys huge, and a brace in a key
     * cannot break the Cluster hash tag.
     */
    public static String bounded(String key) {
        if (key.length() <= MAX_LENGTH && key.indexOf('{') < 0 && key.indexOf('}') < 0) {
            return key;
        }
        return "#" + hashed(key);
    }

    /** base64url(sha256(value)) without padding: 43 characters. */
    public static String hashed(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
