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
import org.jspecify.annotations.Nullable;

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
    public enum Job {
        /** The backup, followed by pruning when {@link Builder#pruneAfterBackup(boolean)} is on. */
        BACKUP,
        /** The verification drill of the newest backup. */
        VERIFY
    }

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
        /**
         * Called after each due job.
         *
         * @param job     the job
         * @param outcome what happened
         */
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
    private final @Nullable ExecutorService ownedExecutor;
    private final JobLock lock;
    private final JobListener jobListener;
    private final Config config;
    private final Map<Job, Future<?>> pending = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;

    private BackupScheduler(Builder b, JobLock lock) {
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
        if (b.executor == null) {
            ExecutorService own = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "resilience-backup-" + b.jobs.name());
                t.setDaemon(true);
                return t;
            });
            this.ownedExecutor = own;
            this.executor = own;
        } else {
            this.ownedExecutor = null;
            this.executor = b.executor;
        }
        this.lock = lock;
        this.config = new Config(b.backupCronText, b.verifyCronText, b.zone, b.pruneAfterBackup,
                List.copyOf(b.drillTables), b.executor == null);
        this.jobListener = b.jobListener;
    }

    /**
     * A builder for the schedules of {@code backup}.
     *
     * @param backup the orchestrator whose jobs run
     * @return a builder with the defaults listed on {@link Config}
     */
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

    private ExecutionTime cron(Job job) {
        return Objects.requireNonNull(crons.get(job), "every job has a cron");
    }

    /**
     * The effective settings, defaults included, for printing and checking.
     *
     * @return the settings this scheduler was built with; they never change
     */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link BackupScheduler}; see {@link Builder} for what each means.
     *
     * @param backupCron       when backups run, 5-field cron (default {@code 0 2 * * *})
     * @param verifyCron       when the verification drill runs, 5-field cron (default {@code 0 3 * * SUN})
     * @param zone             the zone the cron expressions are read in (default UTC)
     * @param pruneAfterBackup whether retention is applied after each successful backup (default true)
     * @param drillTables      tables whose rows the drill counts (default none: it checks only that tables exist)
     * @param ownExecutor      true when the scheduler runs jobs on its own single daemon thread (the default),
     *                         false when {@link Builder#executor(Executor)} gave one
     */
    public record Config(String backupCron, String verifyCron, ZoneId zone, boolean pruneAfterBackup,
                         List<String> drillTables, boolean ownExecutor) {
    }

    /**
     * When {@code job} fires next after now, if ever.
     *
     * @param job the job
     * @return the next fire time, or empty when the cron never fires again
     */
    public Optional<Instant> nextRun(Job job) {
        return cron(job).nextExecution(clock.now().atZone(zone)).map(ZonedDateTime::toInstant);
    }

    /**
     * Runs {@code job} now on the calling thread, under the same guards as a scheduled run.
     *
     * @param job the job to run
     * @return what happened
     */
    public Outcome runNow(Job job) {
        return run(job, null);
    }

    /** Runs {@code job}; a scheduled backup names its {@code slot} (the fire time) and is skipped when the slot is done. */
    private Outcome run(Job job, @Nullable Instant slot) {
        AtomicBoolean flag = Objects.requireNonNull(running.get(job), "every job has a flag");
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

    private Outcome runLocked(Job job, @Nullable Instant slot) {
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
        Optional<ZonedDateTime> previousFire = cron(Job.BACKUP).lastExecution(now.atZone(zone));
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
        Optional<ZonedDateTime> next = cron(job).nextExecution(from.atZone(zone));
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
        /** The expressions as given, for {@link BackupScheduler#config()}: cron-utils would print SUN as 0. */
        private String backupCronText = "0 2 * * *";
        private String verifyCronText = "0 3 * * SUN";
        private ZoneId zone = ZoneId.of("UTC");
        private boolean pruneAfterBackup = true;
        private final List<String> drillTables = new ArrayList<>();
        private Clock clock = Clock.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private @Nullable Executor executor;
        private @Nullable JobLock lock;
        private JobListener jobListener = (job, outcome) -> { };

        Builder(Jobs jobs, Supplier<JobLock> defaultLock) {
            this.jobs = jobs;
            this.defaultLock = defaultLock;
        }

        /**
         * When backups run.
         *
         * @param expression 5-field cron, read in {@link #zone(ZoneId)} (default {@code 0 2 * * *}, 02:00 daily)
         * @return this builder
         * @throws IllegalArgumentException naming the expression when it is not valid 5-field cron
         */
        public Builder backupCron(String expression) {
            this.backupCron = parse("backupCron", expression);
            this.backupCronText = expression;
            return this;
        }

        /**
         * When the verification drill of the newest backup runs.
         *
         * @param expression 5-field cron (default {@code 0 3 * * SUN}, 03:00 on Sundays)
         * @return this builder
         * @throws IllegalArgumentException naming the expression when it is not valid 5-field cron
         */
        public Builder verifyCron(String expression) {
            this.verifyCron = parse("verifyCron", expression);
            this.verifyCronText = expression;
            return this;
        }

        /**
         * The zone the cron expressions are read in (default UTC); daylight saving moves the runs with the wall clock.
         *
         * @param zone the zone
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * Whether retention is applied after each successful backup (default true).
         *
         * @param prune false to prune only when asked
         * @return this builder
         */
        public Builder pruneAfterBackup(boolean prune) {
            this.pruneAfterBackup = prune;
            return this;
        }

        /**
         * Tables (a plain or a schema-qualified name) the drill requires to have rows.
         *
         * @param tables table names
         * @return this builder
         */
        public Builder drillTables(String... tables) {
            drillTables.addAll(List.of(tables));
            return this;
        }

        /**
         * The clock for fire times and durations (default the system clock).
         *
         * @param clock the clock; tests pass a manual one
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * What waits for fire times (default core's shared scheduler thread).
         *
         * @param scheduler the scheduler; tests pass a manual one
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Where jobs run (default: one daemon thread owned by the scheduler).
         *
         * @param executor the executor; it must run jobs one at a time per scheduler for the no-overlap guard to hold
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The cross-instance lock (default {@link PostgresBackup#advisoryLock()}).
         *
         * @param lock the lock
         * @return this builder
         */
        public Builder lock(JobLock lock) {
            this.lock = Objects.requireNonNull(lock, "lock");
            return this;
        }

        /**
         * Told about every due job and its outcome (default none).
         *
         * @param listener must be quick and thread-safe
         * @return this builder
         */
        public Builder jobListener(JobListener listener) {
            this.jobListener = Objects.requireNonNull(listener, "jobListener");
            return this;
        }

        /**
         * Builds the scheduler; call {@link BackupScheduler#start()} to run it.
         *
         * @return the scheduler, thread-safe
         */
        public BackupScheduler build() {
            return new BackupScheduler(this, lock != null ? lock : defaultLock.get());
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
