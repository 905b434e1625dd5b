package dev.resilience.spring.boot.backup;

import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.Verification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * Actuator endpoint {@code backups} ({@code GET /actuator/backups}): this database's backups, newest last,
 * each with its size, checksum, tier, encryption key id and latest verification, plus the next scheduled runs;
 * {@code GET /actuator/backups/{id}} shows one. Read-only: it never runs, verifies or deletes a backup. Exposed
 * like any endpoint ({@code management.endpoints.web.exposure.include=health,backups}).
 *
 * <p>Thread-safe.
 */
@Endpoint(id = "backups")
public class BackupsEndpoint {

    private final PostgresBackup backup;
    private final BackupScheduler scheduler;

    /**
     * An endpoint over one database's backups.
     *
     * @param backup    the orchestrator
     * @param scheduler its schedule, or null when there is none
     */
    public BackupsEndpoint(PostgresBackup backup, BackupScheduler scheduler) {
        this.backup = backup;
        this.scheduler = scheduler;
    }

    /**
     * The catalog.
     *
     * @return database, server, next runs and the backups
     */
    @ReadOperation
    public Map<String, Object> backups() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("database", backup.database());
        body.put("server", backup.server());
        if (scheduler != null) {
            scheduler.nextRun(BackupScheduler.Job.BACKUP).ifPresent(next -> body.put("nextBackup", next.toString()));
            scheduler.nextRun(BackupScheduler.Job.VERIFY).ifPresent(next -> body.put("nextVerification", next.toString()));
        }
        List<BackupManifest> manifests = backup.list();
        body.put("count", manifests.size());
        body.put("backups", manifests.stream().map(BackupsEndpoint::describe).toList());
        return body;
    }

    /**
     * One backup.
     *
     * @param id the backup id
     * @return its description
     */
    @ReadOperation
    public Map<String, Object> backup(@Selector String id) {
        return describe(backup.find(id));
    }

    private static Map<String, Object> describe(BackupManifest manifest) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", manifest.id());
        out.put("startedAt", text(manifest.startedAt()));
        out.put("finishedAt", text(manifest.finishedAt()));
        out.put("durationMs", manifest.duration() == null ? null : manifest.duration().toMillis());
        out.put("sizeBytes", manifest.sizeBytes());
        out.put("sha256", manifest.sha256());
        out.put("format", manifest.format().name());
        out.put("compression", manifest.compression());
        out.put("encrypted", manifest.encrypted());
        out.put("encryptionKeyId", manifest.encryptionKeyId());
        out.put("tier", manifest.tier() == null ? null : manifest.tier().name());
        out.put("warning", manifest.warning());
        Verification verification = manifest.verification();
        Map<String, Object> verified = new LinkedHashMap<>();
        verified.put("status", verification.status().name());
        verified.put("passed", verification.passed());
        verified.put("verifiedAt", text(verification.verifiedAt()));
        verified.put("drill", verification.drill());
        verified.put("message", verification.message());
        out.put("verification", verified);
        return out;
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
