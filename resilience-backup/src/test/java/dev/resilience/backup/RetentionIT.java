package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionIT {

    private final PgFixture pg = new PgFixture();
    @TempDir Path store;

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Test
    void pruneNeverDeletesTheNewestVerifiedGoodBackup() throws Exception {
        String db = pg.createSampleDatabase("retain");
        PostgresBackup backup = PgFixture.builder(db, store).retention(BackupRetention.of(1, 0, 0, ZoneId.of("UTC"))).build();
        List<BackupManifest> taken = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            taken.add(backup.backup());
        }
        backup.verify(taken.get(0).id());

        PruneResult dryRun = backup.prune(true);
        PruneResult pruned = backup.prune(false);
        PruneResult again = backup.prune(false);

        assertThat(dryRun.deleted()).extracting(BackupManifest::id).containsExactly(taken.get(1).id(), taken.get(2).id());
        assertThat(pruned.deleted()).isEqualTo(dryRun.deleted());
        assertThat(again.deleted()).isEmpty();
        assertThat(backup.list()).extracting(BackupManifest::id).containsExactly(taken.get(0).id(), taken.get(3).id());
        assertThat(backup.verify(taken.get(0).id()).verification().passed()).isTrue();
        assertThat(store.resolve(taken.get(1).dump().name())).doesNotExist();
    }
}
