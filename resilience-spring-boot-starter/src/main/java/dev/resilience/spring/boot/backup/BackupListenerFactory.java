package dev.resilience.spring.boot.backup;

import dev.resilience.backup.BackupListener;

/** Gives the listener the starter adds to the backup of one database (its Micrometer meters). */
@FunctionalInterface
interface BackupListenerFactory {

    BackupListener forDatabase(String database);
}
