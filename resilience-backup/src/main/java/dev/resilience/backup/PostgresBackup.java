package dev.resilience.backup;

import dev.resilience.backup.internal.ServerConnection;
import dev.resilience.backup.internal.WorkFolder;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.internal.Arguments;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Backs up one PostgreSQL database with the real {@code pg_dump}, and verifies, drills, restores and
 * prunes its backups. Build one with {@link #builder()}:
 *
 * <pre>{@code
 * PostgresBackup backup = PostgresBackup.builder()
 *     .host("db.internal").port(5432).database("orders").user("backup")
 *     .password(() -> System.getenv("ORDERS_BACKUP_PASSWORD").toCharArray())
 *     .store(LocalDirectoryStore.of(Path.of("/var/backups/orders")))
 *     .auditLog(Path.of("/var/backups/orders/audit.jsonl"))
 *     .build();
 * BackupManifest manifest = backup.backup();
 * backup.verify(manifest.id());
 * }</pre>
 *
 * <p>A backup streams pg_dump's output through a SHA-256 digest (and, when configured, AES-256-GCM
 * streaming encryption) into the store's {@code .partial} file, fsyncs it and renames it atomically,
 * then writes the manifest. A failure at any point (pg_dump exits non-zero or is killed, the disk
 * fills) removes what this backup wrote and leaves earlier backups untouched. The password reaches
 * the tools only through a temporary {@code PGPASSFILE} (mode 0600, in a private work folder), never
 * their arguments or environment.
 *
 * <p>One instance serves one database on one server: when several databases (or servers) share a
 * store, each instance lists, verifies, restores and prunes only its own backups. The work is done by
 * package-private collaborators: {@code Dumper} (backup), {@code Verifier} (verify), {@code Restorer}
 * (restore and drill), {@link BackupRetention} (prune), {@code AdvisoryLock} (locking).
 *
 * <p>Thread-safe; operations may run concurrently, but the {@link BackupScheduler} is the way to make
 * sure scheduled jobs never overlap.
 */
public final class PostgresBackup {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBackup.class);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** A partial file untouched this long belongs to a crashed backup: a live dump writes continuously. */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(6);
    /** The names {@link Dumper} gives artifacts; other files in a store (an audit log) are no orphans. */
    private static final java.util.regex.Pattern ARTIFACT_NAME =
            java.util.regex.Pattern.compile(".+\\.(dump|dump\\.tar|globals\\.sql|files\\.tar)");

    private final ServerConnection server;
    private final BackupStore store;
    private final StoredArtifacts artifacts;
    private final Verifier verifier;
    private final Dumper dumper;
    private final Restorer restorer;
    private final BackupRetention retention;
    private final Duration maxAge;
    private final double minFreeSpace;
    private final Config config;
    private final Clock clock;
    private final List<BackupListener> listeners;
    private final AtomicReference<BackupEvent> lastBackupFailure = new AtomicReference<>();

    private PostgresBackup(Builder b, String database, BackupStore store, PgBinaries binaries, WorkFolder work) {
        Set<String> secretVariables = new HashSet<>(b.secretVariables);
        if (b.encryption != null && b.encryption.environmentVariable() != null) {
            secretVariables.add(b.encryption.environmentVariable());
        }
        this.server = new ServerConnection(b.host, b.port, database, b.user, b.password, secretVariables, work);
        this.store = store;
        this.artifacts = new StoredArtifacts(store, b.encryption);
        this.verifier = new Verifier(server, binaries, artifacts, b.jobs);
        this.dumper = new Dumper(server, store, artifacts, verifier, new Dumper.Settings(b.maintenanceDatabase,
                binaries, b.format, b.jobs, b.compression, b.includeGlobals, List.copyOf(b.extraFiles), b.encryption,
                b.smallDumpRatio), b.clock);
        this.restorer = new Restorer(server, b.maintenanceDatabase, verifier, b.clock);
        this.retention = b.retention;
        this.maxAge = b.maxAge;
        this.minFreeSpace = b.minFreeSpace;
        this.config = new Config(b.host, b.port, database, b.user, b.password != null, b.maintenanceDatabase,
                store.describe(), b.format, b.jobs, b.compression, b.includeGlobals, List.copyOf(b.extraFiles),
                Optional.ofNullable(b.encryption).map(BackupEncryption::keyId), b.retention, b.smallDumpRatio, b.maxAge,
                b.minFreeSpace, work.path(),
                java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(secretVariables)));
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        // a restarted service still reports a failed last backup as DOWN until the next one succeeds
        listeners.stream().filter(AuditLog.class::isInstance).map(AuditLog.class::cast).findFirst()
                .flatMap(log -> log.lastEvent(BackupEvent.Type.BACKUP)).filter(event -> !event.success())
                .ifPresent(lastBackupFailure::set);
    }

    /**
     * The effective settings, defaults included, for printing and checking (the Spring starter shows them).
     * Never a secret: whether a password is set, not the password; the key id, not the key; the names of
     * the environment variables scrubbed from the tools' environment, not their values.
     *
     * @return the settings this orchestrator was built with; they never change
     */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link PostgresBackup}; see {@link Builder} for what each means. No secret.
     *
     * @param host                the server's host, or the folder of its Unix socket (default {@code localhost})
     * @param port                the server's port (default 5432)
     * @param database            the database backed up
     * @param user                the user the tools connect as (default {@code postgres})
     * @param passwordSet         true when a password (or its supplier) was given; the password itself is never shown
     * @param maintenanceDatabase the database restores connect to for {@code CREATE/DROP DATABASE} (default {@code postgres})
     * @param store               the store, as {@link BackupStore#describe()} tells it
     * @param format              the {@code pg_dump} archive format (default {@link DumpFormat#CUSTOM})
     * @param jobs                parallel {@code pg_dump}/{@code pg_restore} jobs (default 1)
     * @param compression         the dump's compression (default {@link Compression#ofDefaults()})
     * @param includeGlobals      whether roles and tablespaces ({@code pg_dumpall --globals-only}) are stored too (default false)
     * @param extraFiles          files and folders stored with every backup (default none)
     * @param encryptionKeyId     the id of the encryption key; empty when backups are not encrypted (the default)
     * @param retention           the retention policy (default {@link BackupRetention#ofDefaults()})
     * @param smallDumpRatio      a dump under this fraction of the previous one gets a warning (default 0.5; 0 turns it off)
     * @param maxAge              the health check's maximum age of the newest good backup (default 26 h)
     * @param minFreeSpace        the fraction of free space under which a local store's health check warns (default 0.20)
     * @param workDirectory       the private work folder (password files, scratch dumps) this instance uses
     * @param secretVariables     names of environment variables removed from every tool's environment
     */
    public record Config(String host, int port, String database, String user, boolean passwordSet,
                         String maintenanceDatabase, String store, DumpFormat format, int jobs, Compression compression,
                         boolean includeGlobals, List<Path> extraFiles, Optional<String> encryptionKeyId,
                         BackupRetention retention, double smallDumpRatio, Duration maxAge, double minFreeSpace,
                         Path workDirectory, java.util.SortedSet<String> secretVariables) {
    }

    /**
     * A builder; {@code database} and {@code store} are required.
     *
     * @return a builder with the defaults listed on {@link Config}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The database this orchestrator backs up.
     *
     * @return the database name
     */
    public String database() {
        return server.database();
    }

    /**
     * The server this database lives on, {@code host:port} as configured; manifests record it.
     *
     * @return {@code host:port}
     */
    public String server() {
        return server.server();
    }

    /**
     * The store backups go to.
     *
     * @return the store
     */
    public BackupStore store() {
        return store;
    }

    /**
     * The retention policy {@link #prune(boolean)} applies.
     *
     * @return the policy
     */
    public BackupRetention retention() {
        return retention;
    }

    // ------------------------------------------------------------------ backup

    /**
     * Takes a backup now: version guard, dump, optional globals and extra files, a structure check of
     * the archive ({@code pg_restore --list}), manifest.
     *
     * @return the stored backup's manifest (its {@code warning} is set when the dump looks too small)
     * @throws BackupException when anything failed; nothing of this backup is left in the store
     */
    public BackupManifest backup() {
        Instant started = clock.now();
        long t0 = clock.nanoTime();
        String id = newId(started);
        try {
            List<BackupManifest> earlier = list();
            store.discardAbandoned(ABANDONED_AFTER);
            BackupManifest manifest = dumper.backup(id, started, t0, earlier, retention.tierFor(started, earlier));
            lastBackupFailure.set(null);
            if (manifest.warning() != null) {
                LOG.warn("Backup {} of {} looks wrong: {}", id, server.database(), manifest.warning());
            }
            LOG.info("Backup {} of {} stored: {} bytes, sha256 {}, {} ms", id, server.database(), manifest.sizeBytes(),
                    manifest.sha256(), manifest.duration().toMillis());
            emit(new BackupEvent(BackupEvent.Type.BACKUP, true, id, manifest.finishedAt(), manifest.duration(),
                    manifest.sizeBytes(), manifest.sha256(), manifest.warning()));
            return manifest;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw recordBackupFailure(id, t0, e);
        }
    }

    /**
     * Records a backup run that failed, before or during the dump: log, audit, metrics and health see
     * it exactly like a failure inside {@link #backup()}. The scheduler calls it when it cannot even
     * take its lock.
     *
     * @return the exception to throw
     */
    BackupException recordBackupFailure(@Nullable String id, long t0, Exception e) {
        BackupException failure = new BackupException("backup " + (id == null ? "" : id + " ") + "of "
                + server.database() + " failed: " + server.redactor().redact(String.valueOf(e.getMessage())), e);
        BackupEvent event = new BackupEvent(BackupEvent.Type.BACKUP, false, id, clock.now(),
                Duration.ofNanos(clock.nanoTime() - t0), 0, null, failure.getMessage());
        lastBackupFailure.set(event);
        LOG.error("{}", failure.getMessage());
        emit(event);
        return failure;
    }

    // ------------------------------------------------------------------ catalog

    /**
     * This database's backups in the store (on this server, when the store is shared by servers),
     * oldest first by start time (never by file name), each labelled with the tier retention keeps it
     * for. Backups of other databases sharing the store are never listed, verified, restored or pruned
     * through this instance.
     *
     * @return the backups, oldest first; empty when there are none
     */
    public List<BackupManifest> list() {
        try {
            List<BackupManifest> own = new ArrayList<>();
            for (BackupManifest m : store.manifests()) {
                if (m.belongsTo(server.database(), server.server())) {
                    own.add(m);
                }
            }
            own.sort(Comparator.comparing(BackupManifest::startedAt).thenComparing(BackupManifest::id));
            Map<String, BackupTier> tiers = retention.tiers(own);
            own.replaceAll(m -> tiers.containsKey(m.id()) && tiers.get(m.id()) != m.tier() ? m.withTier(tiers.get(m.id())) : m);
            return own;
        } catch (IOException e) {
            throw new BackupException("cannot read the backup catalog in " + store.describe() + ": " + e, e);
        }
    }

    /**
     * The newest backup, if any.
     *
     * @return the newest backup by start time, or empty
     */
    public Optional<BackupManifest> latest() {
        List<BackupManifest> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * The backup {@code id} of this database. @throws BackupException when there is none
     *
     * @param id the backup id
     * @return its manifest
     */
    public BackupManifest find(String id) {
        return list().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new BackupException("no backup with id '" + id + "' of database " + server.database()
                        + " in " + store.describe()));
    }

    /**
     * Files in the store that no manifest lists (a dump whose manifest was lost, a stray file): the
     * catalog cannot show them as backups, so they are reported here instead. Across all databases of
     * the store.
     *
     * @return the names of the orphaned files; empty when there are none
     */
    public List<String> orphans() {
        try {
            Set<String> listed = new HashSet<>();
            for (BackupManifest m : store.manifests()) {
                m.artifacts().forEach(a -> listed.add(a.name()));
            }
            List<String> orphans = new ArrayList<>();
            for (String name : store.artifactNames()) {
                if (!listed.contains(name) && ARTIFACT_NAME.matcher(name).matches()) {
                    orphans.add(name);
                }
            }
            return orphans;
        } catch (IOException e) {
            throw new BackupException("cannot read the backup catalog in " + store.describe() + ": " + e, e);
        }
    }

    // ------------------------------------------------------------------ verify

    /**
     * Verifies backup {@code id}: checks each artifact's size and SHA-256 and the manifest's own size and
     * SHA-256 against its dump, then reads the whole archive with {@code pg_restore} to {@code /dev/null}
     * (decrypting on the fly, never to disk). The result is recorded in the manifest either way:
     * {@link VerificationStatus#FAILED} only when the backup is proved corrupt,
     * {@link VerificationStatus#INCONCLUSIVE} when the check could not run.
     *
     * @param id the backup id
     * @return the manifest with the verification recorded
     * @throws BackupVerificationException when the backup is proved corrupt (missing file, size or checksum
     *         mismatch, archive rejected by pg_restore)
     * @throws BackupException when there is no backup {@code id}, or the check could not run (missing or
     *         wrong key, missing tool): the backup keeps its retention slot
     */
    public BackupManifest verify(String id) {
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        try {
            verifier.checkIntact(manifest);
            BackupManifest verified = record(manifest, new Verification(VerificationStatus.PASSED, clock.now(),
                    null, false, null));
            LOG.info("Backup {} verified: checksums match and pg_restore read the whole archive", id);
            emit(new BackupEvent(BackupEvent.Type.VERIFY, true, id, clock.now(), since(t0), manifest.sizeBytes(),
                    manifest.sha256(), null));
            return verified;
        } catch (BackupException e) {
            fail(BackupEvent.Type.VERIFY, manifest, t0, e, false);
            throw e;
        }
    }

    /**
     * Writes the plaintext of one artifact of backup {@code id} (decrypted when encrypted) to
     * {@code out}, after checking its size and checksum: for example the globals script to feed to psql,
     * or the tar of the extra files.
     *
     * @param id   the backup id
     * @param kind which artifact
     * @param out  where the plaintext goes; not closed
     * @throws BackupVerificationException when the artifact is proved corrupt
     * @throws BackupException when the backup has no such artifact, or the key is missing or wrong
     */
    public void export(String id, BackupArtifact.Kind kind, OutputStream out) {
        BackupManifest manifest = find(id);
        BackupArtifact artifact = manifest.artifacts().stream().filter(a -> a.kind() == kind).findFirst()
                .orElseThrow(() -> new BackupException("backup " + id + " has no " + kind + " artifact"));
        artifacts.requireKey(manifest);
        artifacts.checkChecksum(manifest, artifact);
        artifacts.copyPlaintext(manifest, artifact, out);
    }

    // ------------------------------------------------------------------ drill and restore

    /**
     * Verifies backup {@code id}, restores it into a scratch database {@code resilience_backup_drill_<n>},
     * checks that it holds user tables and that each of {@code tablesWithRows} ({@code table} or
     * {@code schema.table}) has at least one row, drops it, and records the restore time (the measured
     * RTO) in the manifest.
     *
     * @param id             the backup id
     * @param tablesWithRows tables that must hold rows; empty checks only that user tables exist
     * @return the restore time, table count and row counts
     * @throws BackupVerificationException when the backup is proved corrupt (recorded as FAILED)
     * @throws BackupException when the drill could not conclude: the restore or a sanity query failed (a
     *         missing role, a mistyped or empty table, the server down); recorded as INCONCLUSIVE, the
     *         backup keeps its retention slot. The scratch database is dropped either way.
     */
    public DrillResult drill(String id, Collection<String> tablesWithRows) {
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        try {
            verifier.checkIntact(manifest);
            DrillResult result = restorer.drill(manifest, tablesWithRows);
            BackupManifest verified = record(manifest, new Verification(VerificationStatus.PASSED, clock.now(),
                    "restore drill: " + result.tableCount() + " tables"
                            + (result.rowCounts().isEmpty() ? "" : ", rows " + result.rowCounts()), true, result.restoreTime()));
            LOG.info("Restore drill of backup {} passed: restored in {} ms, {} tables, rows {}", id,
                    result.restoreTime().toMillis(), result.tableCount(), result.rowCounts());
            emit(new BackupEvent(BackupEvent.Type.DRILL, true, id, clock.now(), since(t0), manifest.sizeBytes(),
                    manifest.sha256(), "restored in " + result.restoreTime().toMillis() + " ms"));
            return new DrillResult(verified, result.restoreTime(), result.tableCount(), result.rowCounts());
        } catch (BackupException e) {
            fail(BackupEvent.Type.DRILL, manifest, t0, e, true);
            throw e;
        }
    }

    /**
     * Restores backup {@code id} into {@code targetDatabase}, after verifying it; an existing target is
     * replaced only when {@code replaceExisting}, and then kept as {@code <target>_replaced_<time>}.
     * Same as {@link #restore(String, String, boolean, boolean) restore(id, target, replaceExisting, false)}.
     *
     * @param id              the backup id
     * @param targetDatabase  the database to restore into
     * @param replaceExisting whether an existing target may be replaced
     * @return how long the restore took
     */
    public Duration restore(String id, String targetDatabase, boolean replaceExisting) {
        return restore(id, targetDatabase, replaceExisting, false);
    }

    /**
     * Restores backup {@code id} into {@code targetDatabase}, after verifying it (a corrupt or
     * uncheckable backup is refused). pg_restore {@code --exit-on-error} fills a fresh database that is
     * renamed to the target only once complete, so the target never holds a partial restore. An
     * existing target is replaced only when {@code replaceExisting}: it is renamed to
     * {@code <target>_replaced_<yyyyMMddHHmmss>} just before the swap and kept, unless
     * {@code dropReplaced}. A failed restore drops the fresh database and leaves the target as it was.
     *
     * @param id              the backup id
     * @param targetDatabase  the database to restore into
     * @param replaceExisting whether an existing target may be replaced
     * @param dropReplaced    whether the replaced database is dropped afterwards
     * @return how long the restore took
     * @throws BackupVerificationException when the backup is proved corrupt (nothing is created)
     * @throws BackupException when the backup cannot be checked (missing or wrong key), the target exists
     *         without {@code replaceExisting}, or the restore failed (the target is untouched)
     */
    public Duration restore(String id, String targetDatabase, boolean replaceExisting, boolean dropReplaced) {
        return restore(id, targetDatabase, RestoreOptions.DEFAULTS.replaceExisting(replaceExisting).dropReplaced(dropReplaced));
    }

    /**
     * Restores backup {@code id} into {@code targetDatabase} as {@link #restore(String, String, boolean, boolean)}
     * does, with {@code options} choosing replacement, {@code --no-owner}, {@code --no-acl} and a selective
     * restore of some tables or schemas.
     *
     * @param id             the backup id
     * @param targetDatabase the database to restore into
     * @param options        replacement, ownership, privileges and selection
     * @return how long the restore took
     * @throws BackupVerificationException when the backup is proved corrupt (nothing is created)
     * @throws BackupException when the backup cannot be checked, the target exists without
     *         {@link RestoreOptions#replaceExisting(boolean)}, or the restore failed (the target is untouched)
     * @throws IllegalArgumentException when {@code targetDatabase} is blank
     */
    public Duration restore(String id, String targetDatabase, RestoreOptions options) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(targetDatabase, "targetDatabase");
        if (targetDatabase.isBlank()) {
            throw new IllegalArgumentException("targetDatabase must not be blank");
        }
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        try {
            try {
                verifier.checkIntact(manifest);
            } catch (BackupVerificationException e) {
                record(manifest, new Verification(VerificationStatus.FAILED, clock.now(), e.getMessage(), false, null));
                throw new BackupVerificationException("refusing to restore backup " + id + ": " + e.getMessage(), e);
            } catch (BackupException e) {
                throw new BackupException("cannot restore backup " + id + ": " + e.getMessage(), e);
            }
            String replaced = restorer.restore(manifest, targetDatabase, options);
            Duration took = since(t0);
            String note = "restored into " + targetDatabase + (replaced == null ? "" : "; the previous database is kept as "
                    + replaced);
            LOG.info("Backup {} {} in {} ms", id, note, took.toMillis());
            emit(new BackupEvent(BackupEvent.Type.RESTORE, true, id, clock.now(), took, manifest.sizeBytes(),
                    manifest.sha256(), note));
            return took;
        } catch (BackupException e) {
            emit(new BackupEvent(BackupEvent.Type.RESTORE, false, id, clock.now(), since(t0), manifest.sizeBytes(),
                    manifest.sha256(), e.getMessage()));
            LOG.error("Restore of backup {} into {} failed: {}", id, targetDatabase, e.getMessage());
            throw e;
        }
    }

    // ------------------------------------------------------------------ prune

    /**
     * Applies the retention policy to this database's backups: deletes (or with {@code dryRun}, only
     * lists) the backups it does not keep. Idempotent. The newest backup, the newest backup not proved
     * corrupt and the newest verified good backup are always kept.
     *
     * @param dryRun true to only report what would be deleted
     * @return what was kept and what was (or would be) deleted
     */
    public PruneResult prune(boolean dryRun) {
        long t0 = clock.nanoTime();
        PruneResult plan = retention.plan(list(), dryRun);
        if (!dryRun) {
            for (BackupManifest doomed : plan.deleted()) {
                long d0 = clock.nanoTime();
                try {
                    store.delete(doomed);
                } catch (IOException e) {
                    emit(new BackupEvent(BackupEvent.Type.DELETE, false, doomed.id(), clock.now(), since(d0),
                            doomed.sizeBytes(), doomed.sha256(), e.toString()));
                    throw new BackupException("prune could not delete backup " + doomed.id() + ": " + e, e);
                }
                LOG.info("Pruned backup {} from {} (started {})", doomed.id(), store.describe(), doomed.startedAt());
                emit(new BackupEvent(BackupEvent.Type.DELETE, true, doomed.id(), clock.now(), since(d0),
                        doomed.sizeBytes(), doomed.sha256(), "retention " + retention));
            }
        }
        emit(new BackupEvent(BackupEvent.Type.PRUNE, true, null, clock.now(), since(t0), 0, null,
                (dryRun ? "dry run: would delete " : "deleted ") + plan.deleted().size() + ", kept " + plan.kept().size()));
        return plan;
    }

    // ------------------------------------------------------------------ health

    /**
     * A health check: DOWN when the newest backup is older than the maximum age (default 26 h) or
     * there is none, when the last backup attempt failed, or when the newest verification did not pass
     * (proved corrupt, or could not be checked); DEGRADED when the store has under the minimum free
     * space (default 20 %) or the newest backup looks suspiciously small; UP otherwise.
     *
     * @return a check that reads the catalog on every call
     */
    public HealthCheck asHealthCheck() {
        return new BackupHealthCheck(this::list, lastBackupFailure::get, store, clock, maxAge, minFreeSpace);
    }

    /**
     * A {@link JobLock} backed by PostgreSQL advisory locks on this database, so that of several
     * instances embedding a {@link BackupScheduler} only one runs a given job.
     *
     * @return a lock per job and database; each lease holds one connection
     */
    public JobLock advisoryLock() {
        return new dev.resilience.backup.internal.AdvisoryLock(server);
    }

    Clock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ helpers

    private BackupManifest record(BackupManifest manifest, Verification verification) {
        BackupManifest updated = manifest.withVerification(verification);
        try {
            store.saveManifest(updated);
        } catch (IOException e) {
            throw new BackupException("cannot record the verification of backup " + manifest.id() + ": " + e, e);
        }
        return updated;
    }

    /** Records a verification or drill that did not pass: FAILED only when proved corrupt. */
    private void fail(BackupEvent.Type type, BackupManifest manifest, long t0, BackupException e, boolean drill) {
        boolean corrupt = e instanceof BackupVerificationException;
        LOG.error("{} of backup {} {}: {}", type == BackupEvent.Type.DRILL ? "Restore drill" : "Verification",
                manifest.id(), corrupt ? "proved it corrupt" : "could not conclude", e.getMessage());
        try {
            record(manifest, new Verification(corrupt ? VerificationStatus.FAILED : VerificationStatus.INCONCLUSIVE,
                    clock.now(), e.getMessage(), drill, null));
        } catch (BackupException recordFailure) {
            e.addSuppressed(recordFailure);
        }
        emit(new BackupEvent(type, false, manifest.id(), clock.now(), since(t0), manifest.sizeBytes(),
                manifest.sha256(), e.getMessage()));
    }

    private void emit(BackupEvent event) {
        for (BackupListener listener : listeners) {
            try {
                listener.onEvent(event);
            } catch (RuntimeException e) {
                LOG.error("Backup listener {} failed on {}: {}", listener, event.type(), e.toString());
            }
        }
    }

    private Duration since(long t0) {
        return Duration.ofNanos(clock.nanoTime() - t0);
    }

    private String newId(Instant started) {
        String db = server.database().replaceAll("[^A-Za-z0-9_-]", "_");
        return db + "-" + ID_TIME.format(started) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    /**
     * Builds a {@link PostgresBackup}. Defaults: host {@code localhost}, port 5432, user
     * {@code postgres}, no password (the tools then use {@code ~/.pgpass} or the environment), custom
     * format, {@link Compression#ofDefaults()}, no globals, no extra files, no encryption,
     * {@link BackupRetention#ofDefaults()}, small-dump warning under 50 % of the previous backup,
     * health maximum age 26 h (a daily backup plus slack for a slow run), minimum free space 20 %,
     * the system clock, {@link PgBinaries#locate()}. Not thread-safe; the built object is.
     */
    public static final class Builder {
        private String host = "localhost";
        private int port = 5432;
        private @Nullable String database;
        private String user = "postgres";
        private @Nullable Supplier<char[]> password;
        private String maintenanceDatabase = "postgres";
        private @Nullable BackupStore store;
        private @Nullable PgBinaries binaries;
        private DumpFormat format = DumpFormat.CUSTOM;
        private int jobs = 1;
        private Compression compression = Compression.ofDefaults();
        private boolean includeGlobals;
        private final List<Path> extraFiles = new ArrayList<>();
        private @Nullable BackupEncryption encryption;
        private BackupRetention retention = BackupRetention.ofDefaults();
        private double smallDumpRatio = 0.5;
        private Duration maxAge = Duration.ofHours(26);
        private double minFreeSpace = 0.20;
        private @Nullable Path workDirectory;
        private final Set<String> secretVariables = new HashSet<>();
        private Clock clock = Clock.system();
        private final List<BackupListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The server's host name or address, or, as with libpq, the absolute path of the folder holding its
         * Unix-domain socket (e.g. {@code /var/run/postgresql}; the socket is {@code .s.PGSQL.<port>} there).
         *
         * @param host a host name, an address, or a socket folder
         * @return this builder
         * @throws IllegalArgumentException when blank
         */
        public Builder host(String host) {
            this.host = Arguments.notBlank("host", host);
            return this;
        }

        /**
         * The server's port.
         *
         * @param port the server's port (default 5432)
         * @return this builder
         * @throws IllegalArgumentException unless 1..65535
         */
        public Builder port(int port) {
            this.port = Arguments.between("port", port, 1, 65535);
            return this;
        }

        /**
         * The database to back up (required). @throws IllegalArgumentException when blank
         *
         * @param database the database name
         * @return this builder
         */
        public Builder database(String database) {
            this.database = Arguments.notBlank("database", database);
            return this;
        }

        /**
         * The user to connect as.
         *
         * @param user the user the tools connect as (default {@code postgres})
         * @return this builder
         * @throws IllegalArgumentException when blank
         */
        public Builder user(String user) {
            this.user = Arguments.notBlank("user", user);
            return this;
        }

        /**
         * The password (copied; the caller may clear its array).
         *
         * @param password the password; the tools get it through a temporary owner-only password file, never the command line
         * @return this builder
         */
        public Builder password(char[] password) {
            char[] copy = Objects.requireNonNull(password, "password").clone();
            this.password = copy::clone;
            return this;
        }

        /**
         * Where to get the password each time it is needed (a secret store, an environment variable).
         *
         * @param password called on every connection and tool run; may return null for no password
         * @return this builder
         */
        public Builder password(Supplier<char[]> password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The database to connect to for CREATE/DROP DATABASE and globals (default {@code postgres}).
         *
         * @param database the maintenance database
         * @return this builder
         */
        public Builder maintenanceDatabase(String database) {
            this.maintenanceDatabase = Arguments.notBlank("maintenanceDatabase", database);
            return this;
        }

        /**
         * Where backups go (required).
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(BackupStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Where pg_dump and friends are (default {@link PgBinaries#locate()}).
         *
         * @param binaries the tools to use
         * @return this builder
         */
        public Builder binaries(PgBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /**
         * The archive format (default {@link DumpFormat#CUSTOM}).
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(DumpFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * Parallel jobs for the directory format (default 1). @throws IllegalArgumentException unless 1..64
         *
         * @param jobs 1 to 64; above 1 needs {@link DumpFormat#DIRECTORY}
         * @return this builder
         */
        public Builder jobs(int jobs) {
            this.jobs = Arguments.between("jobs", jobs, 1, 64);
            return this;
        }

        /**
         * The compression (default {@link Compression#ofDefaults()}).
         *
         * @param compression the compression; downgraded to gzip 6 for pg_dump before 16 when it needs newer
         * @return this builder
         */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /**
         * Also stores {@code pg_dumpall --globals-only} (roles, tablespaces) with each backup.
         *
         * @param includeGlobals true to store the globals script (default false)
         * @return this builder
         */
        public Builder includeGlobals(boolean includeGlobals) {
            this.includeGlobals = includeGlobals;
            return this;
        }

        /**
         * Files or folders archived (as one tar) with each backup, for example configuration.
         *
         * @param paths files or folders, archived as they are at backup time
         * @return this builder
         */
        public Builder extraFiles(Path... paths) {
            for (Path path : paths) {
                extraFiles.add(Objects.requireNonNull(path, "extraFiles").toAbsolutePath().normalize());
            }
            return this;
        }

        /**
         * Encrypts every artifact (default: no encryption).
         *
         * @param encryption the key and its id
         * @return this builder
         */
        public Builder encryption(BackupEncryption encryption) {
            this.encryption = Objects.requireNonNull(encryption, "encryption");
            return this;
        }

        /**
         * The retention policy {@link #prune(boolean)} applies (default {@link BackupRetention#ofDefaults()}).
         *
         * @param retention the policy
         * @return this builder
         */
        public Builder retention(BackupRetention retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Flags a dump smaller than this fraction of the previous one (default 0.5; 0 disables).
         *
         * @param ratio 0 to 1
         * @return this builder
         * @throws IllegalArgumentException unless 0..1
         */
        public Builder smallDumpRatio(double ratio) {
            this.smallDumpRatio = Arguments.ratio("smallDumpRatio", ratio);
            return this;
        }

        /**
         * The age after which the health check reports the newest backup stale (default 26 h).
         *
         * @param maxAge a positive duration
         * @return this builder
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Arguments.positive("maxAge", maxAge);
            return this;
        }

        /**
         * The free-space fraction under which health is DEGRADED (default 0.20).
         *
         * @param fraction 0 to 1
         * @return this builder
         */
        public Builder minFreeSpace(double fraction) {
            this.minFreeSpace = Arguments.ratio("minFreeSpace", fraction);
            return this;
        }

        /**
         * Where the private work folder goes: {@code <workDirectory>/.resilience-work/<process>} (mode 0700)
         * holds the temporary password file, the tools' standard error and directory-format scratch
         * folders; folders left by a killed process are removed at build time. Default: the store's
         * directory for a {@link LocalDirectoryStore}, else {@code java.io.tmpdir}.
         *
         * @param workDirectory the parent folder of the work folder
         * @return this builder
         */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        /**
         * The clock for timestamps and durations (default {@link Clock#system()}).
         *
         * @param clock the clock; tests pass a manual one
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Environment variables that carry a secret (a password, a key) and must not reach the tools:
         * they are removed from every child process's environment. A key read with
         * {@link BackupEncryption#fromEnvironment} is added by itself, and {@code PGPASSWORD} is removed
         * whenever a password is configured.
         *
         * @param names variable names
         * @return this builder
         * @throws IllegalArgumentException when a name is blank
         */
        public Builder secretEnvironmentVariables(String... names) {
            for (String name : names) {
                secretVariables.add(Arguments.notBlank("secretEnvironmentVariables", name));
            }
            return this;
        }

        /**
         * Adds a listener (metrics, alerts).
         *
         * @param listener called for every event, on the thread that did the work; must be quick and must not throw
         * @return this builder
         */
        public Builder listener(BackupListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Appends every event to a JSON-lines audit log at {@code file}.
         *
         * @param file the log file; its folder is created owner-only when missing
         * @return this builder
         */
        public Builder auditLog(Path file) {
            return listener(AuditLog.at(file));
        }

        /**
         * Builds the orchestrator.
         *
         * @return the orchestrator, thread-safe
         * @throws IllegalArgumentException when database or store is missing, or the options conflict
         */
        public PostgresBackup build() {
            String database = this.database;
            BackupStore store = this.store;
            if (database == null) {
                throw new IllegalArgumentException("database is required");
            }
            if (store == null) {
                throw new IllegalArgumentException("store is required");
            }
            if (format == DumpFormat.DIRECTORY && encryption != null) {
                throw new IllegalArgumentException("format DIRECTORY cannot be combined with encryption: pg_dump -Fd"
                        + " writes the dump unencrypted to disk; use format CUSTOM");
            }
            if (format == DumpFormat.CUSTOM && jobs > 1) {
                throw new IllegalArgumentException("jobs > 1 needs format DIRECTORY (pg_dump -Fc is single-threaded): " + jobs);
            }
            PgBinaries binaries = this.binaries != null ? this.binaries : PgBinaries.locate();
            Path workParent = workDirectory != null ? workDirectory : store instanceof LocalDirectoryStore local
                    ? local.directory() : Path.of(System.getProperty("java.io.tmpdir"));
            try {
                return new PostgresBackup(this, database, store, binaries, WorkFolder.in(workParent));
            } catch (IOException e) {
                throw new IllegalArgumentException("workDirectory: cannot create the private work folder in "
                        + workParent + " (" + e + ")", e);
            }
        }
    }
}
