package dev.resilience.examples.backups;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupException;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.Compression;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PgBinaries;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.micrometer.BackupMetrics;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.examples.DatabaseConfig;
import dev.resilience.examples.ServiceConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The service's backups: {@code pg_dump} of its database to a local folder on a cron schedule, with
 * checksums, retention and verification from {@code resilience-backup}. When no {@code pg_dump} is
 * found the service still runs and its health says backups are off and why.
 *
 * <p>Thread-safe. Close it to stop the schedule.
 */
public final class Backups implements AutoCloseable {

    private final PostgresBackup backup;
    private final BackupScheduler scheduler;
    private final String offReason;
    private final String description;

    private Backups(PostgresBackup backup, BackupScheduler scheduler, String offReason, String description) {
        this.backup = backup;
        this.scheduler = scheduler;
        this.offReason = offReason;
        this.description = description;
    }

    /**
     * Schedules backups of {@code database} into {@code directory} on {@code cron} (5-field Unix cron,
     * system time zone), or returns backups that are off when {@code pg_dump} cannot be found. When the
     * folder holds no backup yet, the first is taken before this returns; a backup missed since the last
     * scheduled time runs at once.
     *
     * @param pgBin where {@code pg_dump} is; empty: the PATH and the usual install folders
     * @param encryptionKey 32 bytes in base64 encrypting every backup; empty: not encrypted
     * @throws IllegalArgumentException when the cron expression is invalid
     */
    public static Backups start(DatabaseConfig database, Path directory, String cron, Optional<Path> pgBin,
                                Optional<String> encryptionKey, MeterRegistry meters) {
        PgBinaries binaries = pgBin.map(PgBinaries::in).orElseGet(PgBinaries::locate);
        String offReason = null;
        try {
            binaries.pgDump();
            binaries.pgRestore();
        } catch (BackupException e) {
            offReason = offReason(e.getMessage(), pgBin);
        }
        PostgresBackup.Builder backup = PostgresBackup.builder()
                .host(database.host()).port(database.port()).database(database.database())
                .user(database.user()).password(database.password().toCharArray())
                .store(LocalDirectoryStore.of(directory))
                .binaries(binaries)
                // the example targets pg_dump 15, which has no zstd (the library's default would fall back with a warning)
                .compression(Compression.gzip(6))
                .auditLog(directory.resolve("audit.jsonl"))
                // the tools would inherit the service's environment, passwords, token and key included
                .secretEnvironmentVariables(ServiceConfig.SECRET_VARIABLES.toArray(String[]::new));
        encryptionKey.ifPresent(key -> backup.encryption(BackupEncryption.ofKey(Base64.getDecoder().decode(key), null)));
        if (offReason == null) {
            backup.listener(BackupMetrics.bindTo(meters, database.database()));
        }
        PostgresBackup built = backup.build();
        BackupScheduler.Builder schedule;
        try {
            // checked whether backups are on or off, so a bad schedule is found on a machine without pg_dump too
            schedule = BackupScheduler.builder(built).backupCron(cron).zone(ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw new IllegalArgumentException("BACKUP_SCHEDULE must be a 5-field cron expression like '0 2 * * *' but was '"
                    + cron + "' (" + reason + ")", e);
        }
        if (offReason != null) {
            return new Backups(null, null, offReason, "off (pg_dump or pg_restore not found, see /health/detailed)");
        }
        BackupScheduler scheduler = schedule.build();
        if (built.latest().isEmpty()) {
            // first start on this folder: nothing was missed, there is just nothing yet. Taking the first
            // backup now (a second or so on a new database) keeps the scheduler from reporting a missed
            // run and the health check from reporting no backup; later starts schedule only
            scheduler.runNow(BackupScheduler.Job.BACKUP);
        }
        scheduler.start();
        return new Backups(built, scheduler, null, "'" + cron + "' to " + directory.toAbsolutePath());
    }

    /** The library's message ends with a hint in its own API; the service is configured with {@code PG_BIN}. */
    private static String offReason(String message, Optional<Path> pgBin) {
        int hint = message.indexOf(". Install ");
        String what = hint < 0 ? message : message.substring(0, hint);
        return what + ". Install the PostgreSQL client tools 15 or newer, or set PG_BIN to the folder holding pg_dump and pg_restore"
                + pgBin.map(p -> " (PG_BIN is " + p + ")").orElse("");
    }

    /** For the start log line: the schedule and folder, or why backups are off. */
    public String describe() {
        return description;
    }

    /** The backups' health: the library's check, or DEGRADED saying why backups are off. */
    public HealthCheck asHealthCheck() {
        if (backup == null) {
            return () -> HealthCheckResult.degraded("backups are off: " + offReason);
        }
        return backup.asHealthCheck();
    }

    /** Every backup, oldest first. @throws BackupsOffException when backups are off */
    List<BackupManifest> list() {
        return running().list();
    }

    /**
     * Takes a backup now (waiting for it) and verifies it.
     *
     * @return the verified backup, or empty when another run was going and this one was skipped
     * @throws BackupsOffException when backups are off
     * @throws BackupException when the backup or its verification failed
     */
    Optional<BackupManifest> backupNow() {
        PostgresBackup backup = running();
        BackupScheduler.Outcome outcome = scheduler.runNow(BackupScheduler.Job.BACKUP);
        return switch (outcome) {
            case COMPLETED -> Optional.of(backup.verify(backup.latest().orElseThrow().id()));
            case FAILED -> throw new BackupException("the backup failed; see the service log and /health/detailed");
            case SKIPPED_RUNNING, SKIPPED_LOCKED -> Optional.empty();
        };
    }

    /** Verifies backup {@code id}. @throws BackupException when it fails or there is no such backup */
    BackupManifest verify(String id) {
        return running().verify(id);
    }

    private PostgresBackup running() {
        if (backup == null) {
            throw new BackupsOffException("backups are off: " + offReason);
        }
        return backup;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** Backups are off because {@code pg_dump} was not found. */
    static final class BackupsOffException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        BackupsOffException(String message) {
            super(message, null, false, false);
        }
    }
}
