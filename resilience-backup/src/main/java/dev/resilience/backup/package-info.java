/**
 * pg_dump backups a service embeds or runs from the command line: streamed, checksummed, optionally
 * encrypted, atomically stored with a JSON manifest, verified by reading the whole archive with
 * {@code pg_restore}, restore drills, grandfather-father-son retention, a cron schedule guarded by a
 * PostgreSQL advisory lock, a {@link dev.resilience.core.HealthCheck}, events for metrics and an
 * append-only audit log. Start with {@link dev.resilience.backup.PostgresBackup#builder()}.
 */
@NullMarked
package dev.resilience.backup;

import org.jspecify.annotations.NullMarked;
