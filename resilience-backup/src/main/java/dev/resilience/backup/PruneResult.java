package dev.resilience.backup;

import java.util.List;

/**
 * What a prune kept and deleted (or, for a dry run, would delete), each oldest first. Immutable.
 *
 * @param kept    the backups retention keeps
 * @param deleted the backups deleted, or to be deleted when {@code dryRun}
 * @param dryRun  true when nothing was deleted
 */
public record PruneResult(List<BackupManifest> kept, List<BackupManifest> deleted, boolean dryRun) {

    /**
     * Copies the lists.
     *
     * @param kept    the backups retention keeps
     * @param deleted the backups deleted, or to be deleted when {@code dryRun}
     * @param dryRun  true when nothing was deleted
     * @throws NullPointerException when a list is null or holds a null
     */
    public PruneResult {
        kept = List.copyOf(kept);
        deleted = List.copyOf(deleted);
    }
}
