package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupEncryptionTest {

    private final byte[] plaintext = new byte[3 * 1024 * 1024 + 17];

    BackupEncryptionTest() {
        new Random(42).nextBytes(plaintext);
    }

    private static byte[] encrypt(BackupEncryption encryption, byte[] data, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream enc = encryption.encrypt(out, name)) {
            enc.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(BackupEncryption encryption, byte[] data, String name) throws IOException {
        try (InputStream in = encryption.decrypt(new ByteArrayInputStream(data), name)) {
            return in.readAllBytes();
        }
    }

    private static BackupEncryption key(String base64) {
        return BackupEncryption.ofKey(Base64.getDecoder().decode(base64), "k1");
    }

    @Test
    void roundTripsAcrossSeveralSegments() throws IOException {
        BackupEncryption encryption = key(BackupEncryption.generateKey());

        byte[] ciphertext = encrypt(encryption, plaintext, "a.dump");

        assertThat(ciphertext.length).isGreaterThan(plaintext.length);
        assertThat(decrypt(encryption, ciphertext, "a.dump")).isEqualTo(plaintext);
    }

    @Test
    void aWrongKeyFailsToDecrypt() throws IOException {
        byte[] ciphertext = encrypt(key(BackupEncryption.generateKey()), plaintext, "a.dump");

        assertThatThrownBy(() -> decrypt(key(BackupEncryption.generateKey()), ciphertext, "a.dump"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aFlippedByteFailsToDecrypt() throws IOException {
        BackupEncryption encryption = key(BackupEncryption.generateKey());
        byte[] ciphertext = encrypt(encryption, plaintext, "a.dump");
        ciphertext[ciphertext.length / 2] ^= 1;

        assertThatThrownBy(() -> decrypt(encryption, ciphertext, "a.dump")).isInstanceOf(IOException.class);
    }

    @Test
    void aTruncatedCiphertextFailsToDecrypt() throws IOException {
        BackupEncryption encryption = key(BackupEncryption.generateKey());
        byte[] ciphertext = encrypt(encryption, plaintext, "a.dump");

        assertThatThrownBy(() -> decrypt(encryption, Arrays.copyOf(ciphertext, ciphertext.length - 100), "a.dump"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void anArtifactRenamedToAnotherNameFailsToDecrypt() throws IOException {
        BackupEncryption encryption = key(BackupEncryption.generateKey());
        byte[] ciphertext = encrypt(encryption, plaintext, "a.dump");

        assertThatThrownBy(() -> decrypt(encryption, ciphertext, "b.dump")).isInstanceOf(IOException.class);
    }

    @Test
    void readsTheKeyFromAFileAndDerivesAStableKeyIdThatIsNotTheKey(@TempDir Path dir) throws IOException {
        String base64 = BackupEncryption.generateKey();
        Path file = Files.writeString(dir.resolve("backup.key"), base64 + "\n");

        BackupEncryption first = BackupEncryption.fromKeyFile(file, null);
        BackupEncryption second = BackupEncryption.fromKeyFile(file, null);

        assertThat(first.keyId()).startsWith("sha256:").isEqualTo(second.keyId()).doesNotContain(base64);
        assertThat(first.toString()).doesNotContain(base64);
    }

    @Test
    void rejectsAKeyOfTheWrongLengthWithoutPrintingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("short.key"), "c2hvcnRrZXk=");

        assertThatThrownBy(() -> BackupEncryption.fromKeyFile(file, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold 32 base64-encoded bytes").hasMessageNotContaining("c2hvcnRrZXk=");
    }

    @Test
    void rejectsAnUnsetEnvironmentVariableNamingIt() {
        assertThatThrownBy(() -> BackupEncryption.fromEnvironment("RESILIENCE_BACKUP_TEST_UNSET_KEY", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RESILIENCE_BACKUP_TEST_UNSET_KEY");
    }
}
