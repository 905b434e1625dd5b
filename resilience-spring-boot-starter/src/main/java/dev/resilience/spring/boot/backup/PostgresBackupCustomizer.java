package dev.resilience.spring.boot.backup;

import dev.resilience.backup.PostgresBackup;

/**
 * Adjusts the {@link PostgresBackup.Builder} the starter prepares from {@code resilience.backup.*}, just before
 * it is built: for what properties cannot say (an S3 or mirrored store, a password {@code Supplier}, more
 * listeners). Every customizer bean is applied, in {@link org.springframework.core.Ordered} order.
 */
@FunctionalInterface
public interface PostgresBackupCustomizer {

    /**
     * Changes the builder.
     *
     * @param builder the builder, already holding the configured values
     */
    void customize(PostgresBackup.Builder builder);
}
