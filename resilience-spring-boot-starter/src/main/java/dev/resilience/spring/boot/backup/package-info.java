/**
 * Auto-configuration of {@code resilience-backup}: a {@link dev.resilience.backup.PostgresBackup} and its
 * {@link dev.resilience.backup.BackupScheduler} from {@code resilience.backup.*}, the backup health as a core
 * {@link dev.resilience.core.HealthCheck} bean, and the Actuator endpoint {@code backups}.
 */
@NullMarked
package dev.resilience.spring.boot.backup;

import org.jspecify.annotations.NullMarked;
