package dev.resilience.spring.boot.backup;

import dev.resilience.backup.DumpFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
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
    private String host;

    /** Database server port (default: the port of spring.datasource.url, else 5432). */
    private Integer port;

    /** Database to back up (default: the database of spring.datasource.url). */
    private String database;

    /** User pg_dump connects as (default: spring.datasource.username). */
    private String user;

    /** That user's password (default: spring.datasource.password); reaches pg_dump only through a temporary password file. */
    private String password;

    /** Where CREATE/DROP DATABASE and pg_dumpall connect (module default postgres). */
    private String maintenanceDatabase;

    /** Folder of the local backup store; every backup and its manifest go there. */
    private Path directory;

    /** Parent of the private scratch folder (module default: the store's folder). */
    private Path workDirectory;

    /** Append-only JSON-lines audit log; unset: none. */
    private Path auditLog;

    /** custom (one file, the default) or directory (parallel with jobs; cannot be encrypted). */
    private DumpFormat format;

    /** Parallel pg_dump jobs, format directory only. */
    private Integer jobs;

    /** pg_dump compression: zstd:3 (module default, gzip:6 on pg_dump before 16), gzip:N, lz4 or none. */
    private String compression;

    /** Also dump roles and tablespaces with pg_dumpall --globals-only (module default false). */
    private Boolean includeGlobals;

    /** Configuration files archived with each backup. */
    private List<Path> extraFiles = new ArrayList<>();

    /** Health is DOWN when the newest backup is older than this (module default 26h). */
    private Duration maxAge;

    /** Health is DEGRADED when the store has less free space than this fraction (module default 0.2). */
    private Double minFreeSpace;

    /** A dump under this fraction of the previous one is flagged (module default 0.5; 0 disables). */
    private Double smallDumpRatio;

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

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getMaintenanceDatabase() {
        return maintenanceDatabase;
    }

    public void setMaintenanceDatabase(String maintenanceDatabase) {
        this.maintenanceDatabase = maintenanceDatabase;
    }

    public Path getDirectory() {
        return directory;
    }

    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    public Path getWorkDirectory() {
        return workDirectory;
    }

    public void setWorkDirectory(Path workDirectory) {
        this.workDirectory = workDirectory;
    }

    public Path getAuditLog() {
        return auditLog;
    }

    public void setAuditLog(Path auditLog) {
        this.auditLog = auditLog;
    }

    public DumpFormat getFormat() {
        return format;
    }

    public void setFormat(DumpFormat format) {
        this.format = format;
    }

    public Integer getJobs() {
        return jobs;
    }

    public void setJobs(Integer jobs) {
        this.jobs = jobs;
    }

    public String getCompression() {
        return compression;
    }

    public void setCompression(String compression) {
        this.compression = compression;
    }

    public Boolean getIncludeGlobals() {
        return includeGlobals;
    }

    public void setIncludeGlobals(Boolean includeGlobals) {
        this.includeGlobals = includeGlobals;
    }

    public List<Path> getExtraFiles() {
        return extraFiles;
    }

    public void setExtraFiles(List<Path> extraFiles) {
        this.extraFiles = extraFiles;
    }

    public Duration getMaxAge() {
        return maxAge;
    }

    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    public Double getMinFreeSpace() {
        return minFreeSpace;
    }

    public void setMinFreeSpace(Double minFreeSpace) {
        this.minFreeSpace = minFreeSpace;
    }

    public Double getSmallDumpRatio() {
        return smallDumpRatio;
    }

    public void setSmallDumpRatio(Double smallDumpRatio) {
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
        private String key;

        /** A file holding the base64 key, instead of key. */
        private Path keyFile;

        /** The id recorded in manifests (default: sha256 of the key, 12 hex digits). */
        private String keyId;

        public String getKey() {
            return key;
        }

        public void setKey(String key) {
            this.key = key;
        }

        public Path getKeyFile() {
            return keyFile;
        }

        public void setKeyFile(Path keyFile) {
            this.keyFile = keyFile;
        }

        public String getKeyId() {
            return keyId;
        }

        public void setKeyId(String keyId) {
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
        private String backupCron;

        /** 5-field cron of the restore drill of the newest backup (module default 0 3 * * SUN). */
        private String verifyCron;

        /** Zone of the cron expressions and of retention. */
        private ZoneId zone = ZoneId.of("UTC");

        /** Prune by the retention policy after each successful backup (module default true). */
        private Boolean pruneAfterBackup;

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

        public String getBackupCron() {
            return backupCron;
        }

        public void setBackupCron(String backupCron) {
            this.backupCron = backupCron;
        }

        public String getVerifyCron() {
            return verifyCron;
        }

        public void setVerifyCron(String verifyCron) {
            this.verifyCron = verifyCron;
        }

        public ZoneId getZone() {
            return zone;
        }

        public void setZone(ZoneId zone) {
            this.zone = zone;
        }

        public Boolean getPruneAfterBackup() {
            return pruneAfterBackup;
        }

        public void setPruneAfterBackup(Boolean pruneAfterBackup) {
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
