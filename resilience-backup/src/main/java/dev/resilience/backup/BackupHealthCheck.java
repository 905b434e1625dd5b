package dev.resilience.backup;

import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/** The backup health check; see {@link PostgresBackup#asHealthCheck()}. Thread-safe. */
final class BackupHealthCheck implements HealthCheck {

    private final Supplier<List<BackupManifest>> catalog;
    private final Supplier<BackupEvent> lastBackupFailure;
    private final BackupStore store;
    private final Clock clock;
    private final Duration maxAge;
    private final double minFreeSpace;

    BackupHealthCheck(Supplier<List<BackupManifest>> catalog, Supplier<BackupEvent> lastBackupFailure,
                      BackupStore store, Clock clock, Duration maxAge, double minFreeSpace) {
        this.catalog = catalog;
        this.lastBackupFailure = lastBackupFailure;
        this.store = store;
        this.clock = clock;
        this.maxAge = maxAge;
        this.minFreeSpace = minFreeSpace;
    }

    @Override
    public HealthCheckResult check() {
        List<BackupManifest> all = catalog.get();
        List<String> down = new ArrayList<>();
        List<String> degraded = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("store", store.describe());
        details.put("backups", all.size());

        Optional<BackupManifest> newest = all.stream().max(Comparator.comparing(BackupManifest::startedAt));
        if (newest.isEmpty()) {
            down.add("no backup yet");
        } else {
            BackupManifest m = newest.get();
            Duration age = Duration.between(m.finishedAt() != null ? m.finishedAt() : m.startedAt(), clock.now());
            details.put("newestBackup", m.id());
            details.put("newestBackupAgeSeconds", age.toSeconds());
            if (age.compareTo(maxAge) > 0) {
                down.add("newest backup " + m.id() + " is " + age.toHours() + " h old (limit " + maxAge.toHours() + " h)");
            }
            if (m.warning() != null) {
                degraded.add("newest backup " + m.id() + " " + m.warning());
            }
        }
        BackupEvent failure = lastBackupFailure.get();
        if (failure != null) {
            details.put("lastBackupFailure", failure.at().toString());
            down.add("last backup failed: " + failure.message());
        }
        all.stream().filter(m -> m.verification().verifiedAt() != null)
                .max(Comparator.comparing(m -> m.verification().verifiedAt()))
                .ifPresent(m -> {
                    details.put("lastVerification", m.verification().status().name());
                    if (m.verification().status() == VerificationStatus.FAILED) {
                        down.add("last verification (backup " + m.id() + ") failed: " + m.verification().message());
                    } else if (m.verification().status() == VerificationStatus.INCONCLUSIVE) {
                        down.add("last verification (backup " + m.id() + ") could not be checked: "
                                + m.verification().message());
                    }
                });
        OptionalDouble free = store.freeSpaceRatio();
        if (free.isPresent()) {
            details.put("freeSpacePercent", Math.round(free.getAsDouble() * 1000) / 10.0);
            if (free.getAsDouble() < minFreeSpace) {
                degraded.add(String.format(java.util.Locale.ROOT, "backup store has %.1f %% free (minimum %.0f %%)",
                        free.getAsDouble() * 100, minFreeSpace * 100));
            }
        }
        HealthStatus status = !down.isEmpty() ? HealthStatus.DOWN : !degraded.isEmpty() ? HealthStatus.DEGRADED : HealthStatus.UP;
        List<String> reasons = new ArrayList<>(down);
        reasons.addAll(degraded);
        return HealthCheckResult.of(status, reasons.isEmpty() ? null : String.join("; ", reasons)).withDetails(details);
    }
}
