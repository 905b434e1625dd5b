package dev.resilience.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.resilience.core.Clock;
import dev.resilience.core.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PostgresBackup}'s jobs on cron schedules (standard 5-field Unix cron, in a time zone):
 * by default a backup daily at 02:00 followed by a prune when it succeeded, and a restore drill of the
 * newest backup on Sundays at 03:00. On {@link #start()}, a backup missed since the last scheduled time
 * (the newest backup is older than the cron's previous fire time, or there is none) runs at once.
 *
 * <p>A job never overlaps itself: a fire time reached while the previous run is still going is skipped;
 * across instances the {@link JobLock} (by default {@link PostgresBackup#advisoryLock()}) lets only one
 * run it, and a scheduled backup whose slot already has a backup (another instance fired for the same
 * slot and finished first) is skipped. A backup that cannot take its lock is recorded like a failed
 * backup (audit log, metrics, health). Time comes from the {@link Clock} and {@link Scheduler} (tests pass a manual clock and
 * scheduler); the job itself runs on the executor, never on the scheduler's thread.
 *
 * <p>Thread-safe. {@link #close()} stops scheduling and shuts down the executor if this object made it.
 */
public final class BackupScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    /** The scheduled jobs. */
    public enum Job { BACKUP, VERIFY }

    /** What happened when a job was due. */
    public enum Outcome {
        /** It ran and succeeded. */
        COMPLETED,
        /** It ran and failed (the failure is logged, audited and visible in health). */
        FAILED,
        /** It was skipped because its previous run in this instance is still going. */
        SKIPPED_RUNNING,
        /**
         * It was skipped because another instance holds its lock, or (a scheduled backup) because another
         * instance has already backed up this slot: a backup started at or after its fire time exists.
         */
        SKIPPED_LOCKED
    }

    /** Told about every due job and its outcome. Must be quick and thread-safe. */
    @FunctionalInterface
    public interface JobListener {
        void onJob(Job job, Outcome outcome);
    }

    /** What the jobs do; package-private so scheduler timing can be tested without a database. */
    interface Jobs {
        String name();

        Optional<Instant> newestBackupStart();

        void backup(boolean prune);

        void verify(List<String> drillTables);

        /** Records a backup run that could not start (its lock could not be taken) like a failed backup. */
        void backupNotRun(RuntimeException cause);
    }

    private final Jobs jobs;
    private final Map<Job, ExecutionTime> crons = new EnumMap<>(Job.class);
    private final Map<Job, AtomicBoolean> running = new EnumMap<>(Job.class);
    private final ZoneId zone;
    private final boolean pruneAfterBackup;
    private final List<String> drillTables;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final JobLock lock;
    private final JobListener jobListener;
    private final Map<Job, Future<?>> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    private BackupScheduler(Builder b) {
        this.jobs = b.jobs;
        this.crons.put(Job.BACKUP, ExecutionTime.forCron(b.backupCron));
        this.crons.put(Job.VERIFY, ExecutionTime.forCron(b.verifyCron));
        for (Job job : Job.values()) {
            running.put(job, new AtomicBoolean());
        }
        this.zone = b.zone;
        this.pruneAfterBackup = b.pruneAfterBackup;
        this.drillTables = List.copyOf(b.drillTables);
        this.clock = b.clock;
        this.scheduler = b.scheduler;
        this.ownedExecutor = b.executor == null ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "resilience-backup-" + b.jobs.name());
            t.setDaemon(true);
            return t;
        }) : null;
        this.executor = b.executor == null ? ownedExecutor : b.executor;
        this.lock = b.lock;
        this.jobListener = b.jobListener;
    }

    /** A builder for the schedules of {@code backup}. */
    public static Builder builder(PostgresBackup backup) {
        Objects.requireNonNull(backup, "backup");
        return new Builder(new Jobs() {
            @Override
            public String name() {
                return backup.database();
            }

            @Override
            public Optional<Instant> newestBackupStart() {
                return backup.latest().map(BackupManifest::startedAt);
            }

            @Override
            public void backup(boolean prune) {
                backup.backup();
                if (prune) {
                    backup.prune(false);
                }
            }

            @Override
            public void verify(List<String> drillTables) {
                BackupManifest newest = backup.latest()
                        .orElseThrow(() -> new BackupException("no backup of " + backup.database() + " to drill"));
                backup.drill(newest.id(), drillTables);
            }

            @Override
            public void backupNotRun(RuntimeException cause) {
                backup.recordBackupFailure(null, backup.clock().nanoTime(), cause);
            }
        }, backup::advisoryLock);
    }

    /**
     * Schedules the jobs; runs a missed backup at once.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("BackupScheduler can be started once; closed=" + closed);
        }
        Instant now = clock.now();
        Optional<Instant> missed = missedBackupSlot(now);
        if (missed.isPresent()) {
            LOG.warn("Backup of {} missed its last scheduled time; running it now", jobs.name());
            submit(Job.BACKUP, missed.get());
        } else {
            scheduleNext(Job.BACKUP, now);
        }
        scheduleNext(Job.VERIFY, now);
    }

    /** When {@code job} fires next after now, if ever. */
    public Optional<Instant> nextRun(Job job) {
        return crons.get(job).nextExecution(clock.now().atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * Runs {@code job} now on the calling thread, under the same guards as a scheduled run.
     *
     * @return what happened
     */
    public Outcome runNow(Job job) {
        return run(job, null);
    }

    /** Runs {@code job}; a scheduled backup names its {@code slot} (the fire time) and is skipped when the slot is done. */
    private Outcome run(Job job, Instant slot) {
        AtomicBoolean flag = running.get(job);
        Outcome outcome;
        if (!flag.compareAndSet(false, true)) {
            LOG.warn("{} job of {} is due but its previous run is still going; skipped", job, jobs.name());
            outcome = Outcome.SKIPPED_RUNNING;
        } else {
            try {
                outcome = runLocked(job, slot);
            } finally {
                flag.set(false);
            }
        }
        jobListener.onJob(job, outcome);
        return outcome;
    }

    private Outcome runLocked(Job job, Instant slot) {
        Optional<JobLock.Lease> lease;
        try {
            lease = lock.tryAcquire(job.name().toLowerCase(java.util.Locale.ROOT));
        } catch (RuntimeException e) {
            LOG.error("{} job of {} not run: {}", job, jobs.name(), e.getMessage());
            if (job == Job.BACKUP) {
                jobs.backupNotRun(e);   // audit, metrics and health see it like any failed backup
            }
            return Outcome.FAILED;
        }
        if (lease.isEmpty()) {
            LOG.info("{} job of {} is running in another instance (advisory lock held); skipped", job, jobs.name());
            return Outcome.SKIPPED_LOCKED;
        }
        JobLock.Lease held = lease.get();
        try {
            if (job == Job.BACKUP && slot != null && jobs.newestBackupStart().filter(t -> !t.isBefore(slot)).isPresent()) {
                // checked under the lock: another instance that fired for the same slot has done it already
                LOG.info("Backup of {} for {} is done already (by another instance); skipped", jobs.name(), slot);
                return Outcome.SKIPPED_LOCKED;
            }
            if (job == Job.BACKUP) {
                jobs.backup(pruneAfterBackup);
            } else {
                jobs.verify(drillTables);
            }
            return Outcome.COMPLETED;
        } catch (RuntimeException e) {
            // already logged, audited and reported by PostgresBackup; the schedule goes on
            LOG.debug("{} job of {} failed", job, jobs.name(), e);
            return Outcome.FAILED;
        } finally {
            held.close();
        }
    }

    /** The backup cron's previous fire time when no backup started since, else empty. */
    private Optional<Instant> missedBackupSlot(Instant now) {
        Optional<ZonedDateTime> previousFire = crons.get(Job.BACKUP).lastExecution(now.atZone(zone));
        if (previousFire.isEmpty()) {
            return Optional.empty();
        }
        Instant slot = previousFire.get().toInstant();
        Optional<Instant> newest = jobs.newestBackupStart();
        return newest.isEmpty() || newest.get().isBefore(slot) ? Optional.of(slot) : Optional.empty();
    }

    private void scheduleNext(Job job, Instant after) {
        if (closed) {
            return;
        }
        Instant from = after.isAfter(clock.now()) ? after : clock.now();
        Optional<ZonedDateTime> next = crons.get(job).nextExecution(from.atZone(zone));
        if (next.isEmpty()) {
            LOG.warn("{} schedule of {} has no next fire time; not scheduled", job, jobs.name());
            return;
        }
        Instant due = next.get().toInstant();
        Duration delay = Duration.between(clock.now(), due);
        pending.put(job, scheduler.schedule(() -> submit(job, due), delay.isNegative() ? Duration.ZERO : delay));
    }

    /** Hands the run to the executor (the scheduler thread must not block), then schedules the next one. */
    private void submit(Job job, Instant due) {
        if (closed) {
            return;
        }
        executor.execute(() -> {
            try {
                run(job, due);
            } finally {
                scheduleNext(job, due);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        pending.values().forEach(f -> f.cancel(false));
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    /**
     * Builds a {@link BackupScheduler}. Defaults: backup {@code 0 2 * * *}, verification drill
     * {@code 0 3 * * SUN}, zone UTC, prune after each successful backup, drill checks only that tables
     * exist, the system clock and {@link Scheduler#defaultScheduler()}, a single daemon thread for the
     * jobs, {@link PostgresBackup#advisoryLock()}. Not thread-safe.
     */
    public static final class Builder {
        private final Jobs jobs;
        private final Supplier<JobLock> defaultLock;
        private Cron backupCron = parse("backupCron", "0 2 * * *");
        private Cron verifyCron = parse("verifyCron", "0 3 * * SUN");
        private ZoneId zone = ZoneId.of("UTC");
        private boolean pruneAfterBackup = true;
        private final List<String> drillTables = new ArrayList<>();
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private Executor executor;
        private JobLock lock;
        private JobListener jobListener = (job, outcome) -> { };

        Builder(Jobs jobs, Supplier<JobLock> defaultLock) {
            this.jobs = jobs;
            this.defaultLock = defaultLock;
        }

        /** @throws IllegalArgumentException naming the expression when it is not valid 5-field cron */
        public Builder backupCron(String expression) {
            this.backupCron = parse("backupCron", expression);
            return this;
        }

        /** @throws IllegalArgumentException naming the expression when it is not valid 5-field cron */
        public Builder verifyCron(String expression) {
            this.verifyCron = parse("verifyCron", expression);
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public Builder pruneAfterBackup(boolean prune) {
            this.pruneAfterBackup = prune;
            return this;
        }

        /** Tables ({@code table} or {@code schema.table}) the drill requires to have rows. */
        public Builder drillTables(String... tables) {
            drillTables.addAll(List.of(tables));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** Where jobs run (default: one daemon thread owned by the scheduler). */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The cross-instance lock (default {@link PostgresBackup#advisoryLock()}). */
        public Builder lock(JobLock lock) {
            this.lock = Objects.requireNonNull(lock, "lock");
            return this;
        }

        public Builder jobListener(JobListener listener) {
            this.jobListener = Objects.requireNonNull(listener, "jobListener");
            return this;
        }

        public BackupScheduler build() {
            if (lock == null) {
                lock = defaultLock.get();
            }
            return new BackupScheduler(this);
        }

        private static Cron parse(String name, String expression) {
            Objects.requireNonNull(expression, name);
            try {
                return CRON.parse(expression).validate();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " is not a valid 5-field cron expression: '" + expression
                        + "' (" + e.getMessage() + ")", e);
            }
        }
    }
}
