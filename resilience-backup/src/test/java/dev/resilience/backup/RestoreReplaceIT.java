package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restore --replace fills a fresh database and swaps it in by rename: a failed restore leaves the target intact. */
class RestoreReplaceIT {

    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    private static List<String> replacedCopiesOf(String target) throws Exception {
        return PgFixture.databasesLike(target + "\\_replaced\\_%");
    }

    @Test
    void aRestoreThatFailsOnAMissingRoleLeavesTheReplacedTargetIntact() throws Exception {
        String role = "resilience_backup_gone_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        String source = pg.createSampleDatabase("rolesrc");
        PgFixture.execute("postgres", "CREATE ROLE " + role);
        BackupManifest manifest;
        try {
            PgFixture.execute(source, "CREATE TABLE owned(id int)", "ALTER TABLE owned OWNER TO " + role);
            manifest = PgFixture.builder(source, store).build().backup();
            PgFixture.execute("postgres", "DROP DATABASE " + source + " WITH (FORCE)");
        } finally {
            PgFixture.execute("postgres", "DROP ROLE IF EXISTS " + role);
        }
        String target = pg.createSampleDatabase("roletarget");
        PgFixture.execute(target, "INSERT INTO customers VALUES (999, 'only in the target')");
        String before = PgFixture.contents(target, "customers");

        Throwable thrown = catchThrowable(() -> PgFixture.builder(source, store).build().restore(manifest.id(), target, true));

        assertThat(PgFixture.contents(target, "customers")).isEqualTo(before);
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining(role).hasMessageContaining("is untouched");
        assertThat(replacedCopiesOf(target)).isEmpty();
    }

    @Test
    void aReplacingRestoreKeepsThePreviousDatabaseUntilAskedToDropIt() throws Exception {
        String source = pg.createSampleDatabase("swapsrc");
        PostgresBackup backup = PgFixture.builder(source, store).build();
        BackupManifest manifest = backup.backup();
        String target = pg.newName("swaptarget");
        PgFixture.execute("postgres", "CREATE DATABASE " + target);
        PgFixture.execute(target, "CREATE TABLE marker(note text)", "INSERT INTO marker VALUES ('previous')");

        backup.restore(manifest.id(), target, true);

        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
        List<String> kept = replacedCopiesOf(target);
        assertThat(kept).hasSize(1);
        assertThat(PgFixture.contents(kept.get(0), "marker")).startsWith("1:");

        backup.restore(manifest.id(), target, true, true);

        assertThat(replacedCopiesOf(target)).containsExactlyElementsOf(kept);
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
    }
}
