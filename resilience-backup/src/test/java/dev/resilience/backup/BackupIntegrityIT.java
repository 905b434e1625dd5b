package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthStatus;
import dev.resilience.backup.internal.Streams;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupIntegrityIT {

    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Test
    void aFlippedByteIsDetectedByTheChecksumAndMakesHealthDown() throws Exception {
        PostgresBackup backup = PgFixture.builder(pg.createSampleDatabase("flip"), store).build();
        BackupManifest manifest = backup.backup();
        Path file = store.resolve(manifest.dump().name());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0x01);
        }

        assertThatThrownBy(() -> backup.verify(manifest.id()))
                .isInstanceOf(BackupVerificationException.class).hasMessageContaining("checksum mismatch");
        assertThat(backup.find(manifest.id()).verification().status()).isEqualTo(VerificationStatus.FAILED);
        assertThat(backup.asHealthCheck().check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aTruncatedFileIsDetectedByItsSize() throws Exception {
        PostgresBackup backup = PgFixture.builder(pg.createSampleDatabase("trunc"), store).build();
        BackupManifest manifest = backup.backup();
        truncate(store.resolve(manifest.dump().name()));

        assertThatThrownBy(() -> backup.verify(manifest.id()))
                .isInstanceOf(BackupVerificationException.class).hasMessageContaining("size mismatch");
    }

    @Test
    void aTruncatedArchiveWithAMatchingManifestIsStillCaughtByReadingItWhole() throws Exception {
        // pg_restore --list accepts a truncated custom archive; reading every byte does not
        PostgresBackup backup = PgFixture.builder(pg.createSampleDatabase("trunc2"), store).build();
        BackupManifest manifest = backup.backup();
        Path file = store.resolve(manifest.dump().name());
        truncate(file);
        String sha;
        try (InputStream in = Files.newInputStream(file)) {
            sha = Streams.sha256Hex(in);
        }
        BackupArtifact forged = new BackupArtifact(BackupArtifact.Kind.DUMP, manifest.dump().name(), Files.size(file), sha);
        LocalDirectoryStore.of(store).saveManifest(new BackupManifest(manifest.id(), manifest.database(),
                manifest.serverVersion(), manifest.pgDumpVersion(), manifest.startedAt(), manifest.finishedAt(),
                manifest.duration(), forged.sizeBytes(), sha, manifest.format(), manifest.compression(), null,
                manifest.tier(), List.of(forged), null, null));

        assertThatThrownBy(() -> backup.verify(manifest.id()))
                .isInstanceOf(BackupVerificationException.class).hasMessageContaining("pg_restore could not read");
    }

    @Test
    void restoreRefusesACorruptBackupAndCreatesNothing() throws Exception {
        PostgresBackup backup = PgFixture.builder(pg.createSampleDatabase("refuse"), store).build();
        BackupManifest manifest = backup.backup();
        truncate(store.resolve(manifest.dump().name()));
        String target = pg.newName("refuse_target");

        assertThatThrownBy(() -> backup.restore(manifest.id(), target, false))
                .isInstanceOf(BackupVerificationException.class).hasMessageContaining("refusing to restore");
        assertThat(PgFixture.exists(target)).isFalse();
    }

    private static void truncate(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() * 2 / 3);
        }
    }
}
