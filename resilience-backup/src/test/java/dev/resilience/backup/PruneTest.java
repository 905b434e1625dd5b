package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PruneTest {

    private final MemoryStore store = new MemoryStore();
    private final List<BackupEvent> events = new ArrayList<>();
    private final PostgresBackup backup = PostgresBackup.builder().database("db").store(store)
            .retention(BackupRetention.of(2, 0, 0, ZoneId.of("UTC"))).clock(new ManualClock())
            .listener(events::add).build();

    private void given(int days) {
        Instant start = Instant.parse("2026-03-01T02:00:00Z");
        for (int i = 0; i < days; i++) {
            store.saveManifest(Manifests.at(start.plusSeconds(86400L * i)));
        }
    }

    @Test
    void dryRunListsWhatWouldGoAndDeletesNothing() {
        given(5);

        PruneResult result = backup.prune(true);

        assertThat(result.dryRun()).isTrue();
        assertThat(result.deleted()).hasSize(3);
        assertThat(store.manifests()).hasSize(5);
        assertThat(events).extracting(BackupEvent::type).containsExactly(BackupEvent.Type.PRUNE);
    }

    @Test
    void pruneDeletesAndAuditsEachBackupThenIsIdempotent() {
        given(5);

        PruneResult first = backup.prune(false);
        PruneResult second = backup.prune(false);

        assertThat(first.deleted()).hasSize(3);
        assertThat(second.deleted()).isEmpty();
        assertThat(store.manifests()).hasSize(2);
        assertThat(events.stream().filter(e -> e.type() == BackupEvent.Type.DELETE)).hasSize(3);
    }

    @Test
    void catalogIsOrderedByStartTimeNotByName() {
        BackupManifest newer = Manifests.at(Instant.parse("2026-03-02T02:00:00Z"));
        BackupManifest older = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        BackupManifest renamedOlder = new BackupManifest("zzz-sorts-last-by-name", older.database(),
                older.serverVersion(), older.pgDumpVersion(), older.startedAt(), older.finishedAt(), older.duration(),
                older.sizeBytes(), older.sha256(), older.format(), older.compression(), null, older.tier(),
                older.artifacts(), null, null);
        store.saveManifest(newer);
        store.saveManifest(renamedOlder);

        assertThat(backup.list()).extracting(BackupManifest::id).containsExactly("zzz-sorts-last-by-name", newer.id());
        assertThat(backup.latest()).contains(newer);
    }

    @Test
    void afterAYearOfDailiesTheKeptBackupsAreLabelledWithTheSlotTheyFill() {
        PostgresBackup gfs = PostgresBackup.builder().database("db").store(store).clock(new ManualClock()).build();
        Instant start = Instant.parse("2025-03-01T02:00:00Z");
        for (int day = 0; day < 365; day++) {
            store.saveManifest(Manifests.at(start.plusSeconds(86400L * day)));   // labelled DAILY when taken
        }

        gfs.prune(false);
        List<BackupManifest> kept = gfs.list();

        assertThat(kept).filteredOn(m -> m.tier() == BackupTier.MONTHLY).hasSize(12);
        assertThat(kept).filteredOn(m -> m.tier() == BackupTier.WEEKLY).hasSize(3);   // the 4th week is this month's
        assertThat(kept).filteredOn(m -> m.tier() == BackupTier.DAILY).hasSize(kept.size() - 15);
    }
}
