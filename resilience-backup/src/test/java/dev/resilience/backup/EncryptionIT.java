package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptionIT {

    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    private static BackupEncryption key(String id) {
        return BackupEncryption.ofKey(Base64.getDecoder().decode(BackupEncryption.generateKey()), id);
    }

    @Test
    void anEncryptedBackupRoundTripsAndNoPlaintextTouchesTheDisk() throws Exception {
        String source = pg.createSampleDatabase("enc");
        String target = pg.newName("enc_target");
        BackupEncryption key = key("ops-2026");
        PostgresBackup backup = PgFixture.builder(source, store).encryption(key).includeGlobals(true).build();

        BackupManifest manifest = backup.backup();
        backup.verify(manifest.id());
        backup.restore(manifest.id(), target, false);

        assertThat(manifest.encryptionKeyId()).isEqualTo("ops-2026");
        byte[] stored = Files.readAllBytes(store.resolve(manifest.dump().name()));
        assertThat(new String(stored, 0, 5, StandardCharsets.ISO_8859_1)).isNotEqualTo("PGDMP");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("customer 1");
        try (Stream<Path> files = Files.list(store)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
        java.io.ByteArrayOutputStream globals = new java.io.ByteArrayOutputStream();
        backup.export(manifest.id(), BackupArtifact.Kind.GLOBALS, globals);
        assertThat(globals.toString(StandardCharsets.UTF_8)).contains("CREATE ROLE postgres");
        assertThat(Files.readString(store.resolve(manifest.id() + ".globals.sql"), StandardCharsets.ISO_8859_1))
                .doesNotContain("CREATE ROLE");
    }

    @Test
    void aWrongKeyWithTheSameIdGivesAClearErrorAndDoesNotMarkTheBackupCorrupt() throws Exception {
        String source = pg.createSampleDatabase("wrongkey");
        BackupManifest manifest = PgFixture.builder(source, store).encryption(key("k1")).build().backup();
        PostgresBackup withWrongKey = PgFixture.builder(source, store).encryption(key("k1")).build();

        assertThatThrownBy(() -> withWrongKey.verify(manifest.id()))
                .isInstanceOf(BackupException.class).isNotInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("cannot decrypt").hasMessageContaining("the key is wrong");
        assertThat(withWrongKey.find(manifest.id()).verification().status()).isEqualTo(VerificationStatus.INCONCLUSIVE);
    }

    @Test
    void aKeyWithAnotherIdIsRefusedNamingBothIds() throws Exception {
        String source = pg.createSampleDatabase("otherkey");
        BackupManifest manifest = PgFixture.builder(source, store).encryption(key("k1")).build().backup();
        PostgresBackup withOtherKey = PgFixture.builder(source, store).encryption(key("k2")).build();

        assertThatThrownBy(() -> withOtherKey.verify(manifest.id()))
                .isInstanceOf(BackupException.class).hasMessageContaining("'k1'").hasMessageContaining("'k2'");
    }

    @Test
    void anEncryptedBackupWithoutAKeyIsRefused() throws Exception {
        String source = pg.createSampleDatabase("nokey");
        BackupManifest manifest = PgFixture.builder(source, store).encryption(key("k1")).build().backup();

        assertThatThrownBy(() -> PgFixture.builder(source, store).build().verify(manifest.id()))
                .isInstanceOf(BackupException.class).hasMessageContaining("no encryption key is configured");
    }
}
