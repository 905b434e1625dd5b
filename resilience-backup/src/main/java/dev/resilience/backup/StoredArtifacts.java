package dev.resilience.backup;

import dev.resilience.backup.internal.DigestingOutputStream;
import dev.resilience.backup.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Moves artifact bytes between the pipeline and a {@link BackupStore}: writing through optional
 * encryption and the SHA-256 digest, checking checksums, reading plaintext back. One place for the
 * store-and-key logic that backup, verify, restore and export share. Thread-safe.
 */
final class StoredArtifacts {

    /** What fills an artifact's plaintext stream. */
    interface Content {
        void writeTo(OutputStream out) throws IOException, InterruptedException;
    }

    private final BackupStore store;
    private final @Nullable BackupEncryption encryption;

    StoredArtifacts(BackupStore store, @Nullable BackupEncryption encryption) {
        this.store = store;
        this.encryption = encryption;
    }

    /** Writes an artifact: plaintext -> [encryption] -> size + SHA-256 -> store (fsync, atomic rename). */
    BackupArtifact write(BackupArtifact.Kind kind, String name, Content content) throws IOException {
        try (BackupStore.PendingArtifact pending = store.create(name)) {
            DigestingOutputStream digest = new DigestingOutputStream(pending.output());
            try (OutputStream plaintext = encryption == null ? digest : encryption.encrypt(digest, name)) {
                content.writeTo(plaintext);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BackupException("interrupted while writing " + name, e);
            }
            pending.commit();
            return new BackupArtifact(kind, name, digest.count(), digest.sha256Hex());
        }
    }

    /** Fails when the backup is encrypted and the configured key is missing or has another id. */
    void requireKey(BackupManifest manifest) {
        if (!manifest.encrypted()) {
            return;
        }
        if (encryption == null) {
            throw new BackupException("backup " + manifest.id() + " is encrypted with key id '"
                    + manifest.encryptionKeyId() + "' but no encryption key is configured");
        }
        if (!encryption.keyId().equals(manifest.encryptionKeyId())) {
            throw new BackupException("backup " + manifest.id() + " is encrypted with key id '"
                    + manifest.encryptionKeyId() + "' but the configured key has id '" + encryption.keyId() + "'");
        }
    }

    /**
     * Fails unless the stored bytes of {@code artifact} have the manifest's size and SHA-256.
     *
     * @throws BackupVerificationException when the artifact is missing or its size or hash differs (proved corrupt)
     * @throws BackupException when the store cannot be read (nothing proved)
     */
    void checkChecksum(BackupManifest manifest, BackupArtifact artifact) {
        String actual;
        CountingInputStream counted;
        try (InputStream in = store.open(artifact.name())) {
            counted = new CountingInputStream(in);
            actual = Streams.sha256Hex(counted);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new BackupVerificationException("backup " + manifest.id() + " artifact " + artifact.name()
                    + " is missing from the store: " + e.getMessage(), e);
        } catch (CorruptArtifactException e) {
            throw new BackupVerificationException("backup " + manifest.id() + " artifact " + artifact.name()
                    + " is damaged in the store: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupException("backup " + manifest.id() + " artifact " + artifact.name()
                    + " cannot be read: " + e, e);
        }
        if (counted.count != artifact.sizeBytes()) {
            throw new BackupVerificationException("size mismatch for backup " + manifest.id() + " artifact "
                    + artifact.name() + ": manifest says " + artifact.sizeBytes() + " bytes, the store holds "
                    + counted.count, null);
        }
        if (!actual.equals(artifact.sha256())) {
            throw new BackupVerificationException("checksum mismatch for backup " + manifest.id() + " artifact "
                    + artifact.name() + ": manifest says " + artifact.sha256() + ", stored bytes hash to " + actual, null);
        }
    }

    /** The artifact's plaintext, decrypted on the fly when the backup is encrypted. */
    InputStream openPlaintext(BackupManifest manifest, BackupArtifact artifact) throws IOException {
        InputStream stored = store.open(artifact.name());
        if (!manifest.encrypted()) {
            return stored;
        }
        BackupEncryption key = encryption;
        if (key == null) {
            stored.close();
            throw new BackupException("backup " + manifest.id() + " is encrypted (key id " + manifest.encryptionKeyId()
                    + ") but no encryption key is configured");
        }
        try {
            return key.decrypt(stored, artifact.name());
        } catch (IOException | RuntimeException e) {
            stored.close();
            throw e;
        }
    }

    /** Copies the artifact's plaintext to {@code out}; a failure to read or decrypt says so plainly. */
    void copyPlaintext(BackupManifest manifest, BackupArtifact artifact, OutputStream out) {
        try (InputStream in = openPlaintext(manifest, artifact)) {
            Streams.copy(in, out);
        } catch (Streams.ReadFailure e) {
            throw unreadable(manifest, artifact, e);
        } catch (IOException e) {
            throw new BackupException("cannot copy " + artifact.name() + " of backup " + manifest.id() + ": " + e, e);
        }
    }

    /**
     * The error for an artifact whose stored bytes matched their checksum but cannot be read: encrypted,
     * the key is wrong (nothing proved against the backup); in plain text, its content is malformed as
     * written (proved corrupt).
     */
    BackupException unreadable(BackupManifest manifest, BackupArtifact artifact, IOException e) {
        if (manifest.encrypted()) {
            return new BackupException("backup " + manifest.id() + ": cannot decrypt " + artifact.name()
                    + " with key id '" + manifest.encryptionKeyId() + "': its stored bytes match their checksum, so the"
                    + " key is wrong (" + e.getMessage() + ")", e);
        }
        return new BackupVerificationException("backup " + manifest.id() + ": " + artifact.name()
                + " is unreadable: " + e.getMessage(), e);
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
