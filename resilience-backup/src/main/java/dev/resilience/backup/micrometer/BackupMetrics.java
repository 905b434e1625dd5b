package dev.resilience.backup.micrometer;

import dev.resilience.backup.BackupEvent;
import dev.resilience.backup.BackupListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer metrics for one database's backups, fed as a {@link BackupListener}:
 * <ul>
 *   <li>{@code backup.success} / {@code backup.failure} counters (Prometheus {@code backup_success_total});</li>
 *   <li>{@code backup.duration} timer of successful backups ({@code backup_duration_seconds});</li>
 *   <li>{@code backup.size} summary in bytes ({@code backup_size_bytes});</li>
 *   <li>{@code backup.last.success} gauge, epoch seconds of the newest success (alert on its age);</li>
 *   <li>{@code backup.verify.success} / {@code backup.verify.failure} counters (verifications and drills);</li>
 *   <li>{@code restore.success} / {@code restore.failure} counters ({@code restore_success_total}).</li>
 * </ul>
 * Every meter has one tag, {@code database}: low cardinality. Thread-safe.
 *
 * <pre>{@code
 * BackupMetrics metrics = BackupMetrics.bindTo(registry, "orders");
 * PostgresBackup.builder()...listener(metrics).build();
 * }</pre>
 */
public final class BackupMetrics implements BackupListener {

    private final Counter backupSuccess;
    private final Counter backupFailure;
    private final Timer backupDuration;
    private final DistributionSummary backupSize;
    private final Counter verifySuccess;
    private final Counter verifyFailure;
    private final Counter restoreSuccess;
    private final Counter restoreFailure;
    private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();

    private BackupMetrics(MeterRegistry registry, String database) {
        Tags tags = Tags.of("database", database);
        backupSuccess = Counter.builder("backup.success").description("Successful backups").tags(tags).register(registry);
        backupFailure = Counter.builder("backup.failure").description("Failed backups").tags(tags).register(registry);
        backupDuration = Timer.builder("backup.duration").description("Duration of successful backups")
                .tags(tags).register(registry);
        backupSize = DistributionSummary.builder("backup.size").description("Size of stored backups")
                .baseUnit("bytes").tags(tags).register(registry);
        verifySuccess = Counter.builder("backup.verify.success").description("Passed verifications and drills")
                .tags(tags).register(registry);
        verifyFailure = Counter.builder("backup.verify.failure").description("Failed verifications and drills")
                .tags(tags).register(registry);
        restoreSuccess = Counter.builder("restore.success").description("Successful restores").tags(tags).register(registry);
        restoreFailure = Counter.builder("restore.failure").description("Failed restores").tags(tags).register(registry);
        Gauge.builder("backup.last.success", lastSuccessEpochSeconds, AtomicLong::get)
                .description("When the newest successful backup finished, epoch seconds (0 before the first)")
                .baseUnit("seconds").tags(tags).register(registry);
    }

    /**
     * Registers the meters for {@code database} in {@code registry}.
     *
     * @param registry where the meters go
     * @param database the database, used as the {@code database} tag
     * @return the listener to add with {@link dev.resilience.backup.PostgresBackup.Builder#listener}
     * @throws IllegalArgumentException when database is blank
     */
    public static BackupMetrics bindTo(MeterRegistry registry, String database) {
        Objects.requireNonNull(registry, "registry");
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("database must not be blank: '" + database + "'");
        }
        return new BackupMetrics(registry, database);
    }

    @Override
    public void onEvent(BackupEvent event) {
        switch (event.type()) {
            case BACKUP:
                if (event.success()) {
                    backupSuccess.increment();
                    backupDuration.record(event.duration());
                    backupSize.record(event.sizeBytes());
                    lastSuccessEpochSeconds.set(event.at().getEpochSecond());
                } else {
                    backupFailure.increment();
                }
                break;
            case VERIFY:
            case DRILL:
                (event.success() ? verifySuccess : verifyFailure).increment();
                break;
            case RESTORE:
                (event.success() ? restoreSuccess : restoreFailure).increment();
                break;
            default:
                break;
        }
    }
}
