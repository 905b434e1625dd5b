package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** restore --replace fills a fresh database and swaps it in by rename: a failed restore leaves the target intact. */
class RestoreReplaceIT {

    private final PgFixture pg = new PgFixture();
    private final List<String> replacedCopiesOf = new ArrayList<>();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        for (String target : replacedCopiesOf) {
            for (String copy : databasesLike(target + "_replaced_%")) {
                PgFixture.execute("postgres", "DROP DATABASE IF EXISTS " + copy + " WITH (FORCE)");
            }
        }
        pg.close();
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
        replacedCopiesOf.add(target);

        Throwable thrown = catchThrowable(() -> PgFixture.builder(source, store).build().restore(manifest.id(), target, true));

        assertThat(PgFixture.contents(target, "customers")).isEqualTo(before);
        assertThat(thrown).isInstanceOf(BackupException.class).hasMessageContaining(role).hasMessageContaining("is untouched");
        assertThat(databasesLike(target + "_replaced_%")).isEmpty();
    }

    @Test
    void aReplacingRestoreKeepsThePreviousDatabaseUntilAskedToDropIt() throws Exception {
        String source = pg.createSampleDatabase("swapsrc");
        PostgresBackup backup = PgFixture.builder(source, store).build();
        BackupManifest manifest = backup.backup();
        String target = pg.newName("swaptarget");
        PgFixture.execute("postgres", "CREATE DATABASE " + target);
        PgFixture.execute(target, "CREATE TABLE marker(note text)", "INSERT INTO marker VALUES ('previous')");
        replacedCopiesOf.add(target);

        backup.restore(manifest.id(), target, true);

        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
        List<String> kept = databasesLike(target + "_replaced_%");
        assertThat(kept).hasSize(1);
        assertThat(PgFixture.contents(kept.get(0), "marker")).startsWith("1:");

        backup.restore(manifest.id(), target, true, true);

        assertThat(databasesLike(target + "_replaced_%")).containsExactlyElementsOf(kept);
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders"));
    }

    private static List<String> databasesLike(String pattern) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + pattern + "' ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
