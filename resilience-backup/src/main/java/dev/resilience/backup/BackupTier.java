package dev.resilience.backup;

/**
 * The grandfather-father-son tier a backup had when it was taken: the first backup of a calendar
 * month is {@link #MONTHLY}, else the first of an ISO week is {@link #WEEKLY}, else {@link #DAILY}.
 * Retention recomputes buckets from timestamps; the tier is information for people and dashboards.
 */
public enum BackupTier {
    DAILY, WEEKLY, MONTHLY
}
