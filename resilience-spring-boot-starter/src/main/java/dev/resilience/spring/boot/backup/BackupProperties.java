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

    /** @return whether the backup auto-configuration runs (it needs a store directory or a BackupStore bean) */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the backup auto-configuration runs (it needs a store directory or a BackupStore bean) */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return database server host (default: the host of spring.datasource.url); null when not set */
    public @Nullable String getHost() {
        return host;
    }

    /** @param host database server host (default: the host of spring.datasource.url) */
    public void setHost(@Nullable String host) {
        this.host = host;
    }

    /** @return database server port (default: the port of spring.datasource.url, else 5432); null when not set */
    public @Nullable Integer getPort() {
        return port;
    }

    /** @param port database server port (default: the port of spring.datasource.url, else 5432) */
    public void setPort(@Nullable Integer port) {
        this.port = port;
    }

    /** @return database to back up (default: the database of spring.datasource.url); null when not set */
    public @Nullable String getDatabase() {
        return database;
    }

    /** @param database database to back up (default: the database of spring.datasource.url) */
    public void setDatabase(@Nullable String database) {
        this.database = database;
    }

    /** @return user pg_dump connects as (default: spring.datasource.username); null when not set */
    public @Nullable String getUser() {
        return user;
    }

    /** @param user user pg_dump connects as (default: spring.datasource.username) */
    public void setUser(@Nullable String user) {
        this.user = user;
    }

    /**
     * @return that user's password (default: spring.datasource.password); reaches pg_dump only through a temporary
     * password file; null when not set
     */
    public @Nullable String getPassword() {
        return password;
    }

    /**
     * @param password that user's password (default: spring.datasource.password); reaches pg_dump only through a
     * temporary password file
     */
    public void setPassword(@Nullable String password) {
        this.password = password;
    }

    /** @return where CREATE/DROP DATABASE and pg_dumpall connect (module default postgres); null when not set */
    public @Nullable String getMaintenanceDatabase() {
        return maintenanceDatabase;
    }

    /** @param maintenanceDatabase where CREATE/DROP DATABASE and pg_dumpall connect (module default postgres) */
    public void setMaintenanceDatabase(@Nullable String maintenanceDatabase) {
        this.maintenanceDatabase = maintenanceDatabase;
    }

    /** @return folder of the local backup store; every backup and its manifest go there; null when not set */
    public @Nullable Path getDirectory() {
        return directory;
    }

    /** @param directory folder of the local backup store; every backup and its manifest go there */
    public void setDirectory(@Nullable Path directory) {
        this.directory = directory;
    }

    /** @return parent of the private scratch folder (module default: the store's folder); null when not set */
    public @Nullable Path getWorkDirectory() {
        return workDirectory;
    }

    /** @param workDirectory parent of the private scratch folder (module default: the store's folder) */
    public void setWorkDirectory(@Nullable Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    /** @return append-only JSON-lines audit log; unset: none; null when not set */
    public @Nullable Path getAuditLog() {
        return auditLog;
    }

    /** @param auditLog append-only JSON-lines audit log; unset: none */
    public void setAuditLog(@Nullable Path auditLog) {
        this.auditLog = auditLog;
    }

    /**
     * @return custom (one file, the default) or directory (parallel with jobs; cannot be encrypted); null when not set
     */
    public @Nullable DumpFormat getFormat() {
        return format;
    }

    /** @param format custom (one file, the default) or directory (parallel with jobs; cannot be encrypted) */
    public void setFormat(@Nullable DumpFormat format) {
        this.format = format;
    }

    /** @return parallel pg_dump jobs, format directory only; null when not set */
    public @Nullable Integer getJobs() {
        return jobs;
    }

    /** @param jobs parallel pg_dump jobs, format directory only */
    public void setJobs(@Nullable Integer jobs) {
        this.jobs = jobs;
    }

    /**
     * @return pg_dump compression: zstd:3 (module default, gzip:6 on pg_dump before 16), gzip:N, lz4 or none; null when
     * not set
     */
    public @Nullable String getCompression() {
        return compression;
    }

    /**
     * @param compression pg_dump compression: zstd:3 (module default, gzip:6 on pg_dump before 16), gzip:N, lz4 or none
     */
    public void setCompression(@Nullable String compression) {
        this.compression = compression;
    }

    /**
     * @return also dump roles and tablespaces with pg_dumpall --globals-only (module default false); null when not set
     */
    public @Nullable Boolean getIncludeGlobals() {
        return includeGlobals;
    }

    /** @param includeGlobals also dump roles and tablespaces with pg_dumpall --globals-only (module default false) */
    public void setIncludeGlobals(@Nullable Boolean includeGlobals) {
        this.includeGlobals = includeGlobals;
    }

    /** @return configuration files archived with each backup */
    public List<Path> getExtraFiles() {
        return extraFiles;
    }

    /** @param extraFiles configuration files archived with each backup */
    public void setExtraFiles(List<Path> extraFiles) {
        this.extraFiles = extraFiles;
    }

    /** @return health is DOWN when the newest backup is older than this (module default 26h); null when not set */
    public @Nullable Duration getMaxAge() {
        return maxAge;
    }

    /** @param maxAge health is DOWN when the newest backup is older than this (module default 26h) */
    public void setMaxAge(@Nullable Duration maxAge) {
        this.maxAge = maxAge;
    }

    /**
     * @return health is DEGRADED when the store has less free space than this fraction (module default 0.2); null when
     * not set
     */
    public @Nullable Double getMinFreeSpace() {
        return minFreeSpace;
    }

    /**
     * @param minFreeSpace health is DEGRADED when the store has less free space than this fraction (module default 0.2)
     */
    public void setMinFreeSpace(@Nullable Double minFreeSpace) {
        this.minFreeSpace = minFreeSpace;
    }

    /**
     * @return A dump under this fraction of the previous one is flagged (module default 0.5; 0 disables); null when not
     * set
     */
    public @Nullable Double getSmallDumpRatio() {
        return smallDumpRatio;
    }

    /**
     * @param smallDumpRatio A dump under this fraction of the previous one is flagged (module default 0.5; 0 disables)
     */
    public void setSmallDumpRatio(@Nullable Double smallDumpRatio) {
        this.smallDumpRatio = smallDumpRatio;
    }

    /** @return {@code resilience.backup.retention.*}: how many backups are kept */
    public Retention getRetention() {
        return retention;
    }

    /** @return {@code resilience.backup.encryption.*}: the key backups are encrypted with */
    public Encryption getEncryption() {
        return encryption;
    }

    /** @return {@code resilience.backup.schedule.*}: when backups and restore drills run */
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

        /** @return newest backup of each of this many days is kept */
        public int getDaily() {
            return daily;
        }

        /** @param daily newest backup of each of this many days is kept */
        public void setDaily(int daily) {
            this.daily = daily;
        }

        /** @return newest backup of each of this many ISO weeks is kept */
        public int getWeekly() {
            return weekly;
        }

        /** @param weekly newest backup of each of this many ISO weeks is kept */
        public void setWeekly(int weekly) {
            this.weekly = weekly;
        }

        /** @return newest backup of each of this many months is kept */
        public int getMonthly() {
            return monthly;
        }

        /** @param monthly newest backup of each of this many months is kept */
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

        /**
         * @return the base64 32-byte key (generate one with the backup CLI's keygen); unset with key-file unset: no
         * encryption; null when not set
         */
        public @Nullable String getKey() {
            return key;
        }

        /**
         * @param key the base64 32-byte key (generate one with the backup CLI's keygen); unset with key-file unset: no
         * encryption
         */
        public void setKey(@Nullable String key) {
            this.key = key;
        }

        /** @return A file holding the base64 key, instead of key; null when not set */
        public @Nullable Path getKeyFile() {
            return keyFile;
        }

        /** @param keyFile A file holding the base64 key, instead of key */
        public void setKeyFile(@Nullable Path keyFile) {
            this.keyFile = keyFile;
        }

        /** @return the id recorded in manifests (default: sha256 of the key, 12 hex digits); null when not set */
        public @Nullable String getKeyId() {
            return keyId;
        }

        /** @param keyId the id recorded in manifests (default: sha256 of the key, 12 hex digits) */
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

        /**
         * @return whether the scheduler starts with the application (false: the bean exists, runNow works, nothing is
         * scheduled)
         */
        public boolean isAutoStart() {
            return autoStart;
        }

        /**
         * @param autoStart whether the scheduler starts with the application (false: the bean exists, runNow works,
         * nothing is scheduled)
         */
        public void setAutoStart(boolean autoStart) {
            this.autoStart = autoStart;
        }

        /** @return 5-field cron of the backup, followed by a prune (module default 0 2 * *); null when not set */
        public @Nullable String getBackupCron() {
            return backupCron;
        }

        /** @param backupCron 5-field cron of the backup, followed by a prune (module default 0 2 * *) */
        public void setBackupCron(@Nullable String backupCron) {
            this.backupCron = backupCron;
        }

        /**
         * @return 5-field cron of the restore drill of the newest backup (module default 0 3 * SUN); null when not set
         */
        public @Nullable String getVerifyCron() {
            return verifyCron;
        }

        /** @param verifyCron 5-field cron of the restore drill of the newest backup (module default 0 3 * SUN) */
        public void setVerifyCron(@Nullable String verifyCron) {
            this.verifyCron = verifyCron;
        }

        /** @return zone of the cron expressions and of retention */
        public ZoneId getZone() {
            return zone;
        }

        /** @param zone zone of the cron expressions and of retention */
        public void setZone(ZoneId zone) {
            this.zone = zone;
        }

        /**
         * @return prune by the retention policy after each successful backup (module default true); null when not set
         */
        public @Nullable Boolean getPruneAfterBackup() {
            return pruneAfterBackup;
        }

        /** @param pruneAfterBackup prune by the retention policy after each successful backup (module default true) */
        public void setPruneAfterBackup(@Nullable Boolean pruneAfterBackup) {
            this.pruneAfterBackup = pruneAfterBackup;
        }

        /** @return tables the drill requires to have rows */
        public List<String> getDrillTables() {
            return drillTables;
        }

        /** @param drillTables tables the drill requires to have rows */
        public void setDrillTables(List<String> drillTables) {
            this.drillTables = drillTables;
        }

        /** @return advisory: one instance runs each job (PostgreSQL advisory lock); local: every instance runs them */
        public LockKind getLock() {
            return lock;
        }

        /**
         * @param lock advisory: one instance runs each job (PostgreSQL advisory lock); local: every instance runs them
         */
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
