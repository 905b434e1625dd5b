package dev.resilience.backup;

/**
 * Why retention keeps a backup: {@link #MONTHLY} when it is the newest backup of one of the kept
 * calendar months, else {@link #WEEKLY} for one of the kept ISO weeks, else {@link #DAILY}.
 * {@link PostgresBackup#list()} labels every backup by the current catalog, so the label changes as
 * newer backups take over a slot; the manifest file keeps the label it had when written.
 */
public enum BackupTier {
    /** Kept as one of the newest daily backups, or not kept by any slot. */
    DAILY,
    /** Kept as the newest backup of one of the kept ISO weeks. */
    WEEKLY,
    /** Kept as the newest backup of one of the kept calendar months. */
    MONTHLY
}
