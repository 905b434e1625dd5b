package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRoundTripIT {

    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Test
    void backupVerifyRestoreGivesTheSameTableContents() throws Exception {
        String source = pg.createSampleDatabase("rt");
        String target = pg.newName("rt_target");
        PostgresBackup backup = PgFixture.builder(source, store).build();

        BackupManifest manifest = backup.backup();
        BackupManifest verified = backup.verify(manifest.id());
        backup.restore(manifest.id(), target, false);

        assertThat(verified.verification().status()).isEqualTo(VerificationStatus.PASSED);
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders")).startsWith("500:");
        assertThat(PgFixture.contents(target, "customers")).isEqualTo(PgFixture.contents(source, "customers"));
        assertThat(manifest.serverVersion()).startsWith("15");
        assertThat(manifest.pgDumpVersion()).contains("pg_dump");
        assertThat(manifest.compression()).isEqualTo("gzip:6");
        assertThat(Files.readAllLines(store.resolve("audit.jsonl"))).hasSize(3)
                .allMatch(line -> line.contains("\"success\":true"));
    }

    @Test
    void restoreRefusesAnExistingTargetUnlessToldToReplaceIt() throws Exception {
        String source = pg.createSampleDatabase("rp");
        PostgresBackup backup = PgFixture.builder(source, store).build();
        BackupManifest manifest = backup.backup();
        String target = pg.newName("rp_target");
        PgFixture.execute("postgres", "CREATE DATABASE " + target);
        PgFixture.execute(target, "CREATE TABLE marker(x int)");

        assertThatThrownBy(() -> backup.restore(manifest.id(), target, false))
                .isInstanceOf(BackupException.class).hasMessageContaining("exists");
        backup.restore(manifest.id(), target, true);

        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
    }

    @Test
    void drillRestoresIntoAScratchDatabaseCountsRowsDropsItAndRecordsTheRestoreTime() throws Exception {
        String source = pg.createSampleDatabase("dr");
        PostgresBackup backup = PgFixture.builder(source, store).build();
        BackupManifest manifest = backup.backup();

        DrillResult result = backup.drill(manifest.id(), List.of("orders", "public.customers"));

        assertThat(result.rowCounts()).containsEntry("orders", 500L).containsEntry("public.customers", 20L);
        assertThat(result.tableCount()).isEqualTo(2);
        assertThat(backup.find(manifest.id()).verification().drill()).isTrue();
        assertThat(backup.find(manifest.id()).verification().restoreTime()).isEqualTo(result.restoreTime());
        assertThat(drillDatabasesLeft()).isZero();
    }

    @Test
    void directoryFormatWithParallelJobsGlobalsAndExtraFilesRoundTrip() throws Exception {
        String source = pg.createSampleDatabase("dir");
        String target = pg.newName("dir_target");
        Path config = Files.writeString(Files.createTempFile("resilience-backup-config", ".yaml"), "port: 8080\n");
        try {
            PostgresBackup backup = PgFixture.builder(source, store).format(DumpFormat.DIRECTORY).jobs(2)
                    .includeGlobals(true).extraFiles(config).build();

            BackupManifest manifest = backup.backup();
            backup.verify(manifest.id());
            backup.restore(manifest.id(), target, false);

            assertThat(manifest.artifacts()).extracting(BackupArtifact::kind)
                    .containsExactly(BackupArtifact.Kind.DUMP, BackupArtifact.Kind.GLOBALS, BackupArtifact.Kind.FILES);
            assertThat(Files.readString(store.resolve(manifest.id() + ".globals.sql"))).contains("CREATE ROLE postgres");
            assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void aDumpFarSmallerThanThePreviousOneIsFlagged() throws Exception {
        String source = pg.createSampleDatabase("small");
        PostgresBackup backup = PgFixture.builder(source, store).build();
        backup.backup();
        PgFixture.execute(source, "TRUNCATE orders", "TRUNCATE customers CASCADE");

        BackupManifest small = backup.backup();

        assertThat(small.warning()).contains("suspiciously small");
        assertThat(backup.asHealthCheck().check().message()).contains("suspiciously small");
        assertThat(Files.readString(store.resolve("audit.jsonl"))).contains("suspiciously small");
    }

    private static int drillDatabasesLeft() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(dev.resilience.testkit.TestServices.postgresUrl("postgres"));
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'resilience_backup_drill_%'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
