package dev.resilience.examples.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The toy user store of the demo: one fixed user, {@value #DEMO_USER} / {@value #DEMO_PASSWORD}, kept
 * only as a salted PBKDF2 hash. Checking a password takes the same time whether the user exists or
 * not and whether the password is close or not (the hash comparison is constant-time), so timing
 * reveals neither. Thread-safe.
 */
public final class DemoUsers {

    /** The demo user's name. */
    public static final String DEMO_USER = "demo";
    /** The demo user's password: a demo, so it is documented. */
    public static final String DEMO_PASSWORD = "demo-password";

    private static final int ITERATIONS = 10_000;

    private final byte[] salt = new byte[16];
    private final Map<String, byte[]> hashes;
    private final byte[] unknownUserHash;

    /** A store holding the demo user. */
    public DemoUsers() {
        new SecureRandom().nextBytes(salt);
        hashes = Map.of(DEMO_USER, hash(DEMO_PASSWORD.toCharArray()));
        unknownUserHash = hash(new char[] {'\0'});
    }

    /** True when {@code password} is {@code user}'s password. */
    public boolean check(String user, char[] password) {
        byte[] expected = hashes.getOrDefault(user, unknownUserHash);
        boolean matches = MessageDigest.isEqual(expected, hash(password));
        return matches && expected != unknownUserHash;
    }

    private byte[] hash(char[] password) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, ITERATIONS, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }
}
