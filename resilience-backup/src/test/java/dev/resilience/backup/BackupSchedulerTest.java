package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackupSchedulerTest {

    /** Records what ran and when; a backup stores its start time as the newest backup. */
    private static final class FakeJobs implements BackupScheduler.Jobs {
        final ManualClock clock;
        final List<String> runs = new CopyOnWriteArrayList<>();
        final AtomicReference<Instant> newest = new AtomicReference<>();
        volatile Runnable duringBackup = () -> { };

        FakeJobs(ManualClock clock) {
            this.clock = clock;
        }

        @Override
        public String name() {
            return "db";
        }

        @Override
        public Optional<Instant> newestBackupStart() {
            return Optional.ofNullable(newest.get());
        }

        @Override
        public void backup(boolean prune) {
            runs.add("backup@" + clock.now() + (prune ? "+prune" : ""));
            newest.set(clock.now());
            duringBackup.run();
        }

        @Override
        public void verify(List<String> drillTables) {
            runs.add("verify@" + clock.now() + drillTables);
        }

        @Override
        public void backupNotRun(RuntimeException cause) {
            runs.add("not run@" + clock.now() + ": " + cause.getMessage());
        }
    }

    // 2026-03-06 is a Friday; 23:00 UTC is midnight in Berlin
    private final ManualClock clock = new ManualClock(Instant.parse("2026-03-06T23:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeJobs jobs = new FakeJobs(clock);
    private final List<BackupScheduler.Outcome> outcomes = new ArrayList<>();

    private BackupScheduler.Builder builder() {
        return new BackupScheduler.Builder(jobs, JobLock::local).zone(ZoneId.of("Europe/Berlin"))
                .clock(clock).scheduler(scheduler).executor(Runnable::run)
                .jobListener((job, outcome) -> outcomes.add(outcome));
    }

    @Test
    void backsUpDailyAt0200InTheZoneAndPrunesAfter() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));   // today's 02:00 Berlin backup is done
        try (BackupScheduler s = builder().build()) {
            s.start();

            scheduler.advance(Duration.ofHours(49));

            assertThat(jobs.runs).containsExactly(
                    "backup@2026-03-07T01:00:00Z+prune",
                    "backup@2026-03-08T01:00:00Z+prune",
                    "verify@2026-03-08T02:00:00Z[]");
        }
    }

    @Test
    void firstBackupIsScheduledForTheNext0200() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));
        try (BackupScheduler s = builder().build()) {
            s.start();

            assertThat(scheduler.scheduledDelays().get(0)).isEqualTo(Duration.ofHours(2));
            assertThat(s.nextRun(BackupScheduler.Job.BACKUP)).contains(Instant.parse("2026-03-07T01:00:00Z"));
        }
    }

    @Test
    void runsAMissedBackupAtOnceOnStart() {
        jobs.newest.set(Instant.parse("2026-03-04T01:00:00Z"));   // yesterday's 02:00 run is missing
        try (BackupScheduler s = builder().build()) {
            s.start();

            assertThat(jobs.runs).containsExactly("backup@2026-03-06T23:00:00Z+prune");
        }
    }

    @Test
    void runsABackupAtOnceWhenThereIsNone() {
        try (BackupScheduler s = builder().build()) {
            s.start();

            assertThat(jobs.runs).containsExactly("backup@2026-03-06T23:00:00Z+prune");
        }
    }

    @Test
    void aJobDueWhileItsPreviousRunIsGoingIsSkipped() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));
        try (BackupScheduler s = builder().build()) {
            List<BackupScheduler.Outcome> nested = new ArrayList<>();
            jobs.duringBackup = () -> nested.add(s.runNow(BackupScheduler.Job.BACKUP));

            BackupScheduler.Outcome outer = s.runNow(BackupScheduler.Job.BACKUP);

            assertThat(outer).isEqualTo(BackupScheduler.Outcome.COMPLETED);
            assertThat(nested).containsExactly(BackupScheduler.Outcome.SKIPPED_RUNNING);
            assertThat(jobs.runs).hasSize(1);
        }
    }

    @Test
    void aJobWhoseLockIsHeldElsewhereIsSkipped() {
        try (BackupScheduler s = builder().lock(job -> Optional.empty()).build()) {
            BackupScheduler.Outcome outcome = s.runNow(BackupScheduler.Job.BACKUP);

            assertThat(outcome).isEqualTo(BackupScheduler.Outcome.SKIPPED_LOCKED);
            assertThat(jobs.runs).isEmpty();
        }
    }

    @Test
    void aFailedBackupIsReportedAndTheScheduleGoesOn() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));
        jobs.duringBackup = () -> {
            throw new BackupException("pg_dump exited with code 1");
        };
        try (BackupScheduler s = builder().build()) {
            s.start();

            scheduler.advance(Duration.ofHours(26));   // the 02:00 runs of Saturday and Sunday

            assertThat(outcomes).containsExactly(BackupScheduler.Outcome.FAILED, BackupScheduler.Outcome.FAILED);
            assertThat(scheduler.pendingTasks()).isEqualTo(2);
        }
    }

    @Test
    void aSecondInstanceFiringForTheSameSlotAfterTheFirstSkipsIt() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));
        JobLock shared = JobLock.local();
        try (BackupScheduler first = builder().lock(shared).build(); BackupScheduler second = builder().lock(shared).build()) {
            first.start();
            second.start();

            scheduler.advance(Duration.ofHours(3));   // Saturday 02:00 Berlin: both fire, one after the other

            assertThat(jobs.runs).containsExactly("backup@2026-03-07T01:00:00Z+prune");
            assertThat(outcomes).containsExactly(BackupScheduler.Outcome.COMPLETED, BackupScheduler.Outcome.SKIPPED_LOCKED);
        }
    }

    @Test
    void aBackupWhoseLockCannotBeTakenIsRecordedAsAFailedBackup() throws Exception {
        List<BackupEvent> events = new ArrayList<>();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        MemoryStore store = new MemoryStore();
        store.saveManifest(Manifests.at(clock.now().minus(Duration.ofHours(1))));
        PostgresBackup backup = PostgresBackup.builder().database("db").store(store).clock(clock)
                .listener(events::add).listener(dev.resilience.backup.micrometer.BackupMetrics.bindTo(registry, "db")).build();
        JobLock unreachable = job -> {
            throw new BackupException("cannot connect to PostgreSQL as postgres@localhost:5432/db: Connection refused");
        };
        try (BackupScheduler s = BackupScheduler.builder(backup).lock(unreachable).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).build()) {

            assertThat(s.runNow(BackupScheduler.Job.BACKUP)).isEqualTo(BackupScheduler.Outcome.FAILED);
        }

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(BackupEvent.Type.BACKUP);
            assertThat(e.success()).isFalse();
            assertThat(e.message()).contains("Connection refused");
        });
        assertThat(registry.get("backup.failure").counter().count()).isEqualTo(1);
        assertThat(backup.asHealthCheck().check().status()).isEqualTo(dev.resilience.core.HealthStatus.DOWN);
    }

    @Test
    void closeCancelsPendingRuns() {
        jobs.newest.set(Instant.parse("2026-03-06T01:00:00Z"));
        BackupScheduler s = builder().build();
        s.start();

        s.close();
        scheduler.advance(Duration.ofDays(8));

        assertThat(jobs.runs).isEmpty();
    }

    @Test
    void rejectsAnInvalidCronExpressionNamingIt() {
        assertThatThrownBy(() -> builder().backupCron("0 25 * * *"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backupCron").hasMessageContaining("0 25 * * *");
    }
}
