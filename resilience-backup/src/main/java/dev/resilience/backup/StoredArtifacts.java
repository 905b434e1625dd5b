package dev.resilience.backup;

import dev.resilience.backup.internal.DigestingOutputStream;
import dev.resilience.backup.internal.Streams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
    private final BackupEncryption encryption;

    StoredArtifacts(BackupStore store, BackupEncryption encryption) {
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

    /** Fails unless the stored bytes of {@code artifact} hash to the manifest's SHA-256. */
    void checkChecksum(BackupManifest manifest, BackupArtifact artifact) {
        String actual;
        try (InputStream in = store.open(artifact.name())) {
            actual = Streams.sha256Hex(in);
        } catch (IOException e) {
            throw new BackupException("backup " + manifest.id() + " artifact " + artifact.name()
                    + " cannot be read: " + e, e);
        }
        if (!actual.equals(artifact.sha256())) {
            throw new BackupException("checksum mismatch for backup " + manifest.id() + " artifact "
                    + artifact.name() + ": manifest says " + artifact.sha256() + ", stored bytes hash to " + actual);
        }
    }

    /** The artifact's plaintext, decrypted on the fly when the backup is encrypted. */
    InputStream openPlaintext(BackupManifest manifest, BackupArtifact artifact) throws IOException {
        InputStream stored = store.open(artifact.name());
        if (!manifest.encrypted()) {
            return stored;
        }
        try {
            return encryption.decrypt(stored, artifact.name());
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

    /** The error for an artifact that cannot be read or decrypted. */
    BackupException unreadable(BackupManifest manifest, BackupArtifact artifact, IOException e) {
        String reason = manifest.encrypted()
                ? "cannot decrypt " + artifact.name() + " with key id '" + manifest.encryptionKeyId()
                  + "': the key is wrong or the data was altered or cut off (" + e.getMessage() + ")"
                : artifact.name() + " is unreadable: " + e.getMessage();
        return new BackupException("backup " + manifest.id() + ": " + reason, e);
    }
}
