package dev.resilience.backup;

import java.time.Duration;
import java.util.Map;

/**
 * The outcome of a passed restore drill. Immutable.
 *
 * @param manifest    the backup's manifest with the drill recorded in its verification
 * @param restoreTime how long creating the scratch database and restoring took: the measured RTO
 * @param tableCount  how many user tables the restored database held
 * @param rowCounts   the row count of each table the drill was asked to check
 */
public record DrillResult(BackupManifest manifest, Duration restoreTime, int tableCount, Map<String, Long> rowCounts) {

    /**
     * Copies the row counts.
     *
     * @param manifest    the backup's manifest with the drill recorded in its verification
     * @param restoreTime how long creating the scratch database and restoring took: the measured RTO
     * @param tableCount  how many user tables the restored database held
     * @param rowCounts   the row count of each table the drill was asked to check
     * @throws NullPointerException when rowCounts is null or holds a null
     */
    public DrillResult {
        rowCounts = Map.copyOf(rowCounts);
    }
}
