package dev.resilience.backup;

/**
 * Receives every {@link BackupEvent}, on the thread that did the work, after the work. Must be quick
 * and thread-safe; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface BackupListener {

    /**
     * Called once per event.
     *
     * @param event what happened; listeners must be quick and must not throw
     */
    void onEvent(BackupEvent event);
}
