package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.PostgresCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check that could not run (wrong key, mistyped drill table, server down) proves nothing against a
 * backup: it is recorded INCONCLUSIVE, never FAILED, and prune keeps the backup.
 */
class InconclusiveCheckIT {

    private static final BackupRetention TWO_DAYS = BackupRetention.of(2, 0, 0, ZoneId.of("UTC"));
    private final PgFixture pg = new PgFixture();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T02:00:00Z"));
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    /** Two daily backups of {@code builder}'s database; returns the older one. */
    private BackupManifest twoDailyBackups(PostgresBackup.Builder builder) {
        PostgresBackup backup = builder.clock(clock).retention(TWO_DAYS).build();
        BackupManifest older = backup.backup();
        clock.advance(Duration.ofDays(1));
        backup.backup();
        return older;
    }

    private static BackupEncryption key(byte fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, fill);
        return BackupEncryption.fromKeyFile(writeKey(bytes), "k1");
    }

    private static Path writeKey(byte[] bytes) {
        try {
            Path file = java.nio.file.Files.createTempFile("key", ".b64");
            java.nio.file.Files.writeString(file, Base64.getEncoder().encodeToString(bytes));
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertPruneKeeps(PostgresBackup backup, BackupManifest older) {
        assertThat(backup.find(older.id()).verification().status()).isNotEqualTo(VerificationStatus.FAILED);
        PruneResult pruned = backup.prune(false);
        assertThat(pruned.deleted()).isEmpty();
        assertThat(backup.list()).extracting(BackupManifest::id).contains(older.id());
    }

    @Test
    void verifyWithTheWrongKeyThenPruneKeepsTheBackup() throws Exception {
        String db = pg.createSampleDatabase("wrongkeyprune");
        BackupManifest older = twoDailyBackups(PgFixture.builder(db, store).encryption(key((byte) 1)));
        PostgresBackup wrongKey = PgFixture.builder(db, store).encryption(key((byte) 2)).clock(clock)
                .retention(TWO_DAYS).build();

        assertThatThrownBy(() -> wrongKey.verify(older.id())).isNotInstanceOf(BackupVerificationException.class);

        assertPruneKeeps(wrongKey, older);
    }

    @Test
    void aDrillWithAMistypedTableThenPruneKeepsTheBackup() throws Exception {
        String db = pg.createSampleDatabase("typoprune");
        BackupManifest older = twoDailyBackups(PgFixture.builder(db, store));
        PostgresBackup backup = PgFixture.builder(db, store).clock(clock).retention(TWO_DAYS).build();

        assertThatThrownBy(() -> backup.drill(older.id(), List.of("ordrs")))
                .isNotInstanceOf(BackupVerificationException.class).hasMessageContaining("ordrs");

        assertThat(backup.find(older.id()).verification().status()).isEqualTo(VerificationStatus.INCONCLUSIVE);
        assertPruneKeeps(backup, older);
    }

    @Test
    void aDrillWhileTheServerIsDownThenPruneKeepsTheBackup() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start()) {
            cluster.createDatabase("shop");
            cluster.psql("shop", "CREATE TABLE orders(id int PRIMARY KEY); INSERT INTO orders VALUES (1), (2)");
            UnaryOperator<PostgresBackup.Builder> onCluster = b -> b.host(cluster.host()).port(cluster.port());
            BackupManifest older = twoDailyBackups(onCluster.apply(PgFixture.builder("shop", store)));
            PostgresBackup backup = onCluster.apply(PgFixture.builder("shop", store)).clock(clock).retention(TWO_DAYS).build();
            cluster.stop();

            assertThatThrownBy(() -> backup.drill(older.id(), List.of("orders")))
                    .isNotInstanceOf(BackupVerificationException.class);

            assertPruneKeeps(backup, older);
        }
    }
}
