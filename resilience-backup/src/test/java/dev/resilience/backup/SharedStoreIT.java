package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.PostgresCluster;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two databases (and two servers) backed up into one store never see each other's backups. */
class SharedStoreIT {

    private static final BackupRetention ONE = BackupRetention.of(1, 0, 0, ZoneId.of("UTC"));
    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Test
    void catalogVerifyRestorePruneAndTheSmallDumpCheckArePerDatabase() throws Exception {
        String src = pg.createSampleDatabase("src");
        String other = pg.newName("other");
        PgFixture.execute("postgres", "CREATE DATABASE " + other);
        PostgresBackup srcBackup = PgFixture.builder(src, store).retention(ONE).build();
        PostgresBackup otherBackup = PgFixture.builder(other, store).retention(ONE).build();
        BackupManifest srcManifest = srcBackup.backup();
        BackupManifest otherManifest = otherBackup.backup();

        // the other database's much smaller dump is not compared with src's
        assertThat(otherManifest.warning()).isNull();
        assertThat(srcBackup.list()).containsExactly(srcManifest);
        assertThat(srcBackup.latest()).contains(srcManifest);
        assertThatThrownBy(() -> srcBackup.verify(otherManifest.id())).hasMessageContaining("no backup with id");
        assertThatThrownBy(() -> srcBackup.restore(otherManifest.id(), pg.newName("never"), false))
                .hasMessageContaining("no backup with id");

        PruneResult pruned = srcBackup.prune(false);

        assertThat(pruned.deleted()).isEmpty();
        assertThat(srcBackup.list()).containsExactly(srcManifest);
        assertThat(otherBackup.list()).containsExactly(otherManifest);
        String target = pg.newName("src_restored");
        srcBackup.restore(srcBackup.latest().orElseThrow().id(), target, false);
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(src, "orders"));
    }

    @Test
    void theSameDatabaseNameOnTwoServersKeepsTwoCatalogs() throws Exception {
        String name = pg.createSampleDatabase("twoservers");
        try (PostgresCluster cluster = PostgresCluster.start()) {
            cluster.createDatabase(name);
            cluster.psql(name, "CREATE TABLE t(id int); INSERT INTO t VALUES (1)");
            PostgresBackup shared = PgFixture.builder(name, store).retention(ONE).build();
            PostgresBackup own = PgFixture.builder(name, store).host(cluster.host()).port(cluster.port())
                    .retention(ONE).build();
            BackupManifest onShared = shared.backup();
            BackupManifest onOwn = own.backup();

            assertThat(shared.list()).containsExactly(onShared);
            assertThat(own.list()).containsExactly(onOwn);
            assertThat(onOwn.server()).isEqualTo(cluster.host() + ":" + cluster.port());
            assertThat(shared.prune(false).deleted()).isEmpty();
            assertThat(own.list()).containsExactly(onOwn);
        }
    }
}
