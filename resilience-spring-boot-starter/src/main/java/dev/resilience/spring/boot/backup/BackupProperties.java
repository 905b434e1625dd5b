package dev.resilience.spring.boot.backup;

import dev.resilience.backup.DumpFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code resilience.backup.*}: what to dump, where to keep it, how long, encrypted with which key, and when.
 * The server, database and credentials default to those of {@code spring.datasource.*}. Settings left out
 * keep the backup module's defaults. {@link #toString()} never shows the password or the key.
 */
@ConfigurationProperties(prefix = "resilience.backup")
public class BackupProperties {

    /** Whether the backup auto-configuration runs (it needs a store directory or a BackupStore bean). */
    private boolean enabled = true;

    /** Database server host (default: the host of spring.datasource.url). */
    private @Nullable String host;

    /** Database server port (default: the port of spring.datasource.url, else 5432). */
    private @Nullable Integer port;

    /** Database to back up (default: the database of spring.datasource.url). */
    private @Nullable String database;

    /** User pg_dump connects as (default: spring.datasource.username). */
    private @Nullable String user;

    /** That user's password (default: spring.datasource.password); reaches pg_dump only through a temporary password file. */
    private @Nullable String password;

    /** Where CREATE/DROP DATABASE and pg_dumpall connect (module default postgres). */
    private @Nullable String maintenanceDatabase;

    /** Folder of the local backup store; every backup and its manifest go there. */
    private @Nullable Path directory;

    /** Parent of the private scratch folder (module default: the store's folder). */
    private @Nullable Path workDirectory;

    /** Append-only JSON-lines audit log; unset: none. */
    private @Nullable Path auditLog;

    /** custom (one file, the default) or directory (parallel with jobs; cannot be encrypted). */
    private @Nullable DumpFormat format;

    /** Parallel pg_dump jobs, format directory only. */
    private @Nullable Integer jobs;

    /** pg_dump compression: zstd:3 (module default, gzip:6 on pg_dump before 16), gzip:N, lz4 or none. */
    private @Nullable String compression;

    /** Also dump roles and tablespaces with pg_dumpall --globals-only (module default false). */
    private @Nullable Boolean includeGlobals;

    /** Configuration files archived with each backup. */
    private List<Path> extraFiles = new ArrayList<>();

    /** Health is DOWN when the newest backup is older than this (module default 26h). */
    private @Nullable Duration maxAge;

    /** Health is DEGRADED when the store has less free space than this fraction (module default 0.2). */
    private @Nullable Double minFreeSpace;

    /** A dump under this fraction of the previous one is flagged (module default 0.5; 0 disables). */
    private @Nullable Double smallDumpRatio;

    @NestedConfigurationProperty
    private final Retention retention = new Retention();

    @NestedConfigurationProperty
    private final Encryption encryption = new Encryption();

    @NestedConfigurationProperty
    private final Schedule schedule = new Schedule();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getHost() {
        return host;
    }

    public void setHost(@Nullable String host) {
        this.host = host;
    }

    public @Nullable Integer getPort() {
        return port;
    }

    public void setPort(@Nullable Integer port) {
        this.port = port;
    }

    public @Nullable String getDatabase() {
        return database;
    }

    public void setDatabase(@Nullable String database) {
        this.database = database;
    }

    public @Nullable String getUser() {
        return user;
    }

    public void setUser(@Nullable String user) {
        this.user = user;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    public @Nullable String getMaintenanceDatabase() {
        return maintenanceDatabase;
    }

    public void setMaintenanceDatabase(@Nullable String maintenanceDatabase) {
        this.maintenanceDatabase = maintenanceDatabase;
    }

    public @Nullable Path getDirectory() {
        return directory;
    }

    public void setDirectory(@Nullable Path directory) {
        this.directory = directory;
    }

    public @Nullable Path getWorkDirectory() {
        return workDirectory;
    }

    public void setWorkDirectory(@Nullable Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    public @Nullable Path getAuditLog() {
        return auditLog;
    }

    public void setAuditLog(@Nullable Path auditLog) {
        this.auditLog = auditLog;
    }

    public @Nullable DumpFormat getFormat() {
        return format;
    }

    public void setFormat(@Nullable DumpFormat format) {
        this.format = format;
    }

    public @Nullable Integer getJobs() {
        return jobs;
    }

    public void setJobs(@Nullable Integer jobs) {
        this.jobs = jobs;
    }

    public @Nullable String getCompression() {
        return compression;
    }

    public void setCompression(@Nullable String compression) {
        this.compression = compression;
    }

    public @Nullable Boolean getIncludeGlobals() {
        return includeGlobals;
    }

    public void setIncludeGlobals(@Nullable Boolean includeGlobals) {
        this.includeGlobals = includeGlobals;
    }

    public List<Path> getExtraFiles() {
        return extraFiles;
    }

    public void setExtraFiles(List<Path> extraFiles) {
        this.extraFiles = extraFiles;
    }

    public @Nullable Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(@Nullable Duration maxAge) {
        this.maxAge = maxAge;
    }

    public @Nullable Double getMinFreeSpace() {
        return minFreeSpace;
    }

    public void setMinFreeSpace(@Nullable Double minFreeSpace) {
        this.minFreeSpace = minFreeSpace;
    }

    public @Nullable Double getSmallDumpRatio() {
        return smallDumpRatio;
    }

    public void setSmallDumpRatio(@Nullable Double smallDumpRatio) {
        this.smallDumpRatio = smallDumpRatio;
    }

    public Retention getRetention() {
        return retention;
    }

    public Encryption getEncryption() {
        return encryption;
    }

    public Schedule getSchedule() {
        return schedule;
    }

    @Override
    public String toString() {
        return "BackupProperties{host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? "unset" : "***") + ", directory=" + directory
                + ", encryption=" + encryption + ", schedule=" + schedule + "}";
    }

    /** {@code resilience.backup.retention.*}: grandfather-father-son, in the schedule's zone. */
    public static class Retention {

        /** Newest backup of each of this many days is kept. */
        private int daily = 7;

        /** Newest backup of each of this many ISO weeks is kept. */
        private int weekly = 4;

        /** Newest backup of each of this many months is kept. */
        private int monthly = 12;

        public int getDaily() {
            return daily;
        }

        public void setDaily(int daily) {
            this.daily = daily;
        }

        public int getWeekly() {
            return weekly;
        }

        public void setWeekly(int weekly) {
            this.weekly = weekly;
        }

        public int getMonthly() {
            return monthly;
        }

        public void setMonthly(int monthly) {
            this.monthly = monthly;
        }
    }

    /**
     * {@code resilience.backup.encryption.*}: AES-256-GCM with a base64 32-byte key. Give the key through a
     * property source that is not in the repository (an environment variable
     * {@code RESILIENCE_BACKUP_ENCRYPTION_KEY}, a mounted secret, a vault); it never appears in a log line or
     * {@link #toString()}, and Actuator masks the key.
     */
    public static class Encryption {

        /** The base64 32-byte key (generate one with the backup CLI's keygen); unset with key-file unset: no encryption. */
        private @Nullable String key;

        /** A file holding the base64 key, instead of key. */
        private @Nullable Path keyFile;

        /** The id recorded in manifests (default: sha256 of the key, 12 hex digits). */
        private @Nullable String keyId;

        public @Nullable String getKey() {
            return key;
        }

        public void setKey(@Nullable String key) {
            this.key = key;
        }

        public @Nullable Path getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(@Nullable Path keyFile) {
            this.keyFile = keyFile;
        }

        public @Nullable String getKeyId() {
            return keyId;
        }

        public void setKeyId(@Nullable String keyId) {
            this.keyId = keyId;
        }

        @Override
        public String toString() {
            return "Encryption{key=" + (key == null ? "unset" : "***") + ", keyFile=" + keyFile + ", keyId=" + keyId + "}";
        }
    }

    /** {@code resilience.backup.schedule.*}: when backups and verification drills run. */
    public static class Schedule {

        /** Whether the scheduler starts with the application (false: the bean exists, runNow works, nothing is scheduled). */
        private boolean autoStart = true;

        /** 5-field cron of the backup, followed by a prune (module default 0 2 * * *). */
        private @Nullable String backupCron;

        /** 5-field cron of the restore drill of the newest backup (module default 0 3 * * SUN). */
        private @Nullable String verifyCron;

        /** Zone of the cron expressions and of retention. */
        private ZoneId zone = ZoneId.of("UTC");

        /** Prune by the retention policy after each successful backup (module default true). */
        private @Nullable Boolean pruneAfterBackup;

        /** Tables the drill requires to have rows. */
        private List<String> drillTables = new ArrayList<>();

        /** advisory: one instance runs each job (PostgreSQL advisory lock); local: every instance runs them. */
        private LockKind lock = LockKind.ADVISORY;

        public boolean isAutoStart() {
            return autoStart;
        }

        public void setAutoStart(boolean autoStart) {
            this.autoStart = autoStart;
        }

        public @Nullable String getBackupCron() {
            return backupCron;
        }

        public void setBackupCron(@Nullable String backupCron) {
            this.backupCron = backupCron;
        }

        public @Nullable String getVerifyCron() {
            return verifyCron;
        }

        public void setVerifyCron(@Nullable String verifyCron) {
            this.verifyCron = verifyCron;
        }

        public ZoneId getZone() {
            return zone;
        }

        public void setZone(ZoneId zone) {
            this.zone = zone;
        }

        public @Nullable Boolean getPruneAfterBackup() {
            return pruneAfterBackup;
        }

        public void setPruneAfterBackup(@Nullable Boolean pruneAfterBackup) {
            this.pruneAfterBackup = pruneAfterBackup;
        }

        public List<String> getDrillTables() {
            return drillTables;
        }

        public void setDrillTables(List<String> drillTables) {
            this.drillTables = drillTables;
        }

        public LockKind getLock() {
            return lock;
        }

        public void setLock(LockKind lock) {
            this.lock = lock;
        }

        @Override
        public String toString() {
            return "Schedule{autoStart=" + autoStart + ", backupCron=" + backupCron + ", verifyCron=" + verifyCron
                    + ", zone=" + zone + ", lock=" + lock + "}";
        }
    }

    /** How scheduled jobs are kept from running on several instances at once. */
    public enum LockKind {
        /** A PostgreSQL advisory lock: one instance runs each job. */
        ADVISORY,
        /** No cross-instance lock: for a single instance. */
        LOCAL
    }
}
