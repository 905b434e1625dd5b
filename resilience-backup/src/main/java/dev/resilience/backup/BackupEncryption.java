package dev.resilience.backup;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingParameters;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import com.google.crypto.tink.util.SecretBytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Authenticated streaming encryption of backup artifacts: AES-256-GCM with HKDF-SHA256 derived
 * per-file keys in 1 MiB segments (Tink's {@code AesGcmHkdfStreaming}), so memory stays flat and a
 * flipped or truncated byte fails decryption. The artifact's name is the associated data, so an
 * artifact cannot be swapped for another. The key is 32 random bytes, given base64-encoded in a file
 * or an environment variable; {@link #generateKey()} makes one. The manifest records the key id, never
 * the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class BackupEncryption {

    private static final int KEY_BYTES = 32;
    private static final int SEGMENT_BYTES = 1 << 20;

    private final String keyId;
    private final StreamingAead aead;
    private final @Nullable String environmentVariable;

    private BackupEncryption(String keyId, StreamingAead aead, @Nullable String environmentVariable) {
        this.keyId = keyId;
        this.aead = aead;
        this.environmentVariable = environmentVariable;
    }

    /**
     * A key from the base64 text in {@code keyFile}; the key id is derived from the key unless given.
     *
     * @param keyId the id recorded in manifests, or null to derive one ({@code sha256:<12 hex>})
     * @param keyFile the file holding the base64 key; keep it owner-readable only
     * @return the encryption; the file is read once, here
     * @throws IllegalArgumentException when the file cannot be read or holds no 32-byte base64 key
     */
    public static BackupEncryption fromKeyFile(Path keyFile, @Nullable String keyId) {
        Objects.requireNonNull(keyFile, "keyFile");
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("keyFile cannot be read: " + keyFile + " (" + e + ")", e);
        }
        return fromBase64(text, "keyFile " + keyFile, keyId);
    }

    /**
     * A key from the base64 text in environment variable {@code variable}.
     *
     * @param keyId the id recorded in manifests, or null to derive one
     * @param variable the environment variable's name; removed from the tools' environment
     * @return the encryption; the variable is read once, here
     * @throws IllegalArgumentException when the variable is unset or holds no 32-byte base64 key
     */
    public static BackupEncryption fromEnvironment(String variable, @Nullable String keyId) {
        Objects.requireNonNull(variable, "variable");
        String text = System.getenv(variable);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("environment variable " + variable + " holding the backup key is not set");
        }
        BackupEncryption fromText = fromBase64(text, "environment variable " + variable, keyId);
        return new BackupEncryption(fromText.keyId, fromText.aead, variable);
    }

    /**
     * A key from its 32 bytes (copied).
     *
     * @param key   the 32-byte key
     * @param keyId the id recorded in manifests, or null to derive one
     * @return the encryption
     * @throws IllegalArgumentException when the key is not 32 bytes long or keyId is blank
     */
    public static BackupEncryption ofKey(byte[] key, @Nullable String keyId) {
        Objects.requireNonNull(key, "key");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("key must be " + KEY_BYTES + " bytes (AES-256): " + key.length);
        }
        if (keyId != null && keyId.isBlank()) {
            throw new IllegalArgumentException("keyId must not be blank: '" + keyId + "'");
        }
        try {
            AesGcmHkdfStreamingParameters parameters = AesGcmHkdfStreamingParameters.builder()
                    .setKeySizeBytes(KEY_BYTES)
                    .setDerivedAesGcmKeySizeBytes(KEY_BYTES)
                    .setHkdfHashType(AesGcmHkdfStreamingParameters.HashType.SHA256)
                    .setCiphertextSegmentSizeBytes(SEGMENT_BYTES)
                    .build();
            AesGcmHkdfStreamingKey tinkKey = AesGcmHkdfStreamingKey.create(parameters,
                    SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()));
            return new BackupEncryption(keyId != null ? keyId : derivedId(key), AesGcmHkdfStreaming.create(tinkKey), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM streaming encryption is not available: " + e, e);
        }
    }

    /** The environment variable the key came from (removed from every tool's environment), or null. */
    @Nullable String environmentVariable() {
        return environmentVariable;
    }

    /**
     * A new random key, base64-encoded, for a key file or environment variable.
     *
     * @return 32 random bytes from {@link java.security.SecureRandom}, base64-encoded
     */
    public static String generateKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * The id recorded in manifests.
     *
     * @return the key id given, or {@code sha256:} and 12 hex digits of the key's hash; never the key
     */
    public String keyId() {
        return keyId;
    }

    /**
     * Wraps {@code ciphertext} so that what is written to the result is encrypted for {@code artifactName}.
     *
     * @param ciphertext where the encrypted bytes go
     * @param artifactName the artifact's name, bound into the encryption so artifacts cannot be swapped
     * @return the stream to write plaintext to; closing it closes {@code ciphertext}
     * @throws IOException when the stream header cannot be written
     */
    public OutputStream encrypt(OutputStream ciphertext, String artifactName) throws IOException {
        try {
            return aead.newEncryptingStream(ciphertext, associatedData(artifactName));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start encrypting " + artifactName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Wraps {@code ciphertext} to read the plaintext of {@code artifactName}; reading fails with an
     * {@link IOException} when the key is wrong or a byte was changed or cut off.
     *
     * @param ciphertext the encrypted bytes
     * @param artifactName the artifact's name, as when it was encrypted
     * @return the stream of plaintext; closing it closes {@code ciphertext}
     * @throws IOException when the header cannot be read or does not match the key
     */
    public InputStream decrypt(InputStream ciphertext, String artifactName) throws IOException {
        try {
            return aead.newDecryptingStream(ciphertext, associatedData(artifactName));
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot start decrypting " + artifactName + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "BackupEncryption{AES-256-GCM-HKDF streaming, keyId=" + keyId + "}";
    }

    private static byte[] associatedData(String artifactName) {
        return ("resilience-backup:" + artifactName).getBytes(StandardCharsets.UTF_8);
    }

    private static BackupEncryption fromBase64(String text, String source, @Nullable String keyId) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " does not hold a base64 key", e);
        }
        try {
            if (key.length != KEY_BYTES) {
                throw new IllegalArgumentException(source + " must hold " + KEY_BYTES
                        + " base64-encoded bytes (AES-256), found " + key.length);
            }
            return ofKey(key, keyId);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static String derivedId(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("resilience-backup key id".getBytes(StandardCharsets.US_ASCII));
            return "sha256:" + HexFormat.of().formatHex(digest.digest(key), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
