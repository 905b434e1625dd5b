package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerLockIT {

    private final PgFixture pg = new PgFixture();
    private final ExecutorService instanceA = Executors.newSingleThreadExecutor();
    private final ExecutorService instanceB = Executors.newSingleThreadExecutor();
    @TempDir Path store;
    @TempDir Path work;

    @AfterEach
    void cleanUp() throws Exception {
        instanceA.shutdownNow();
        instanceB.shutdownNow();
        pg.close();
    }

    @Test
    void twoInstancesDueAtTheSameTimeRunTheBackupOnceUnderTheAdvisoryLock() throws Exception {
        String db = pg.createSampleDatabase("lock");
        Path go = work.resolve("go");
        // the dump that wins the lock waits until the test has seen the other instance skip
        Path bin = PgFixture.fakePgDump(work, "while [ ! -f " + go + " ]; do sleep 0.05; done\nexec \"$REAL_PG_DUMP\" \"$@\"");
        List<BackupScheduler.Outcome> outcomes = new CopyOnWriteArrayList<>();
        Instant now = Instant.parse("2026-03-06T12:00:00Z");

        try (BackupScheduler a = scheduler(db, bin, now, instanceA, outcomes);
             BackupScheduler b = scheduler(db, bin, now, instanceB, outcomes)) {
            a.start();   // no backup yet: both run one at once, each on its own thread
            b.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.contains(BackupScheduler.Outcome.SKIPPED_LOCKED));
            Files.createFile(go);
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.size() == 2);
        }

        assertThat(outcomes).containsExactlyInAnyOrder(BackupScheduler.Outcome.COMPLETED, BackupScheduler.Outcome.SKIPPED_LOCKED);
        assertThat(LocalDirectoryStore.of(store).manifests()).hasSize(1);
    }

    private BackupScheduler scheduler(String db, Path bin, Instant now, ExecutorService executor,
                                      List<BackupScheduler.Outcome> outcomes) {
        PostgresBackup backup = PgFixture.builder(db, store).binaries(PgBinaries.in(bin)).build();
        return BackupScheduler.builder(backup).clock(new ManualClock(now))
                .scheduler(new ManualScheduler(new ManualClock(now))).executor(executor)
                .jobListener((job, outcome) -> outcomes.add(outcome)).build();
    }
}
