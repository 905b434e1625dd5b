package dev.resilience.backup;

import dev.resilience.backup.internal.PgProcess;
import dev.resilience.backup.internal.Redactor;
import dev.resilience.backup.internal.ServerConnection;
import dev.resilience.backup.internal.Streams;
import dev.resilience.backup.internal.TarArchive;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * the tools only through a temporary {@code PGPASSFILE} (mode 0600), never their arguments.
 *
 * <p>Thread-safe; operations may run concurrently, but the {@link BackupScheduler} is the way to make
 * sure scheduled jobs never overlap.
 */
public final class PostgresBackup {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresBackup.class);
    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final String DRILL_PREFIX = "resilience_backup_drill_";
    /** A partial file untouched this long belongs to a crashed backup: a live dump writes continuously. */
    private static final Duration ABANDONED_AFTER = Duration.ofHours(6);

    private final ServerConnection server;
    private final String maintenanceDatabase;
    private final BackupStore store;
    private final PgBinaries binaries;
    private final DumpFormat format;
    private final int jobs;
    private final Compression compression;
    private final boolean includeGlobals;
    private final List<Path> extraFiles;
    private final BackupEncryption encryption;
    private final StoredArtifacts artifacts;
    private final RetentionPolicy retention;
    private final double smallDumpRatio;
    private final Duration maxAge;
    private final double minFreeSpace;
    private final Path workDirectory;
    private final Clock clock;
    private final List<BackupListener> listeners;
    private final AtomicReference<BackupEvent> lastBackupFailure = new AtomicReference<>();

    private PostgresBackup(Builder b) {
        this.server = new ServerConnection(b.host, b.port, b.database, b.user, b.password);
        this.maintenanceDatabase = b.maintenanceDatabase;
        this.store = b.store;
        this.binaries = b.binaries;
        this.format = b.format;
        this.jobs = b.jobs;
        this.compression = b.compression;
        this.includeGlobals = b.includeGlobals;
        this.extraFiles = List.copyOf(b.extraFiles);
        this.encryption = b.encryption;
        this.artifacts = new StoredArtifacts(b.store, b.encryption);
        this.retention = b.retention;
        this.smallDumpRatio = b.smallDumpRatio;
        this.maxAge = b.maxAge;
        this.minFreeSpace = b.minFreeSpace;
        this.workDirectory = b.workDirectory;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        // a restarted service still reports a failed last backup as DOWN until the next one succeeds
        listeners.stream().filter(AuditLog.class::isInstance).map(AuditLog.class::cast).findFirst()
                .flatMap(log -> log.lastEvent(BackupEvent.Type.BACKUP)).filter(event -> !event.success())
                .ifPresent(lastBackupFailure::set);
    }

    /** A builder; {@code database} and {@code store} are required. */
    public static Builder builder() {
        return new Builder();
    }

    public String database() {
        return server.database();
    }

    public BackupStore store() {
        return store;
    }

    public RetentionPolicy retention() {
        return retention;
    }

    // ------------------------------------------------------------------ backup

    /**
     * Takes a backup now: version guard, dump, optional globals and extra files, manifest.
     *
     * @return the stored backup's manifest (its {@code warning} is set when the dump looks too small)
     * @throws BackupException when anything failed; nothing of this backup is left in the store
     */
    public BackupManifest backup() {
        Instant started = clock.now();
        long t0 = clock.nanoTime();
        String id = newId(started);
        Redactor redactor = server.redactor();
        List<BackupArtifact> written = new ArrayList<>();
        try {
            String pgDumpVersion = toolVersion(binaries.pgDump());
            int clientMajor = major(pgDumpVersion);
            String serverVersion = guardVersions(pgDumpVersion, clientMajor);
            Compression used = compression.supportedBy(clientMajor);
            if (!used.equals(compression)) {
                LOG.warn("pg_dump {} does not support {} compression (needs 16+); using {}",
                        clientMajor, compression, used);
            }
            List<BackupManifest> earlier = list();
            store.discardAbandoned(ABANDONED_AFTER);
            written.add(dump(id, clientMajor, used, redactor));
            if (includeGlobals) {
                written.add(globals(id, redactor));
            }
            if (!extraFiles.isEmpty()) {
                written.add(files(id));
            }
            BackupArtifact dump = written.get(0);
            Instant finished = clock.now();
            String warning = smallDumpWarning(dump, earlier);
            BackupManifest manifest = new BackupManifest(id, server.database(), serverVersion, pgDumpVersion,
                    started, finished, Duration.ofNanos(clock.nanoTime() - t0), dump.sizeBytes(), dump.sha256(),
                    format, used.toString(), encryption == null ? null : encryption.keyId(),
                    retention.tierFor(started, earlier), written, warning, Verification.NONE);
            store.saveManifest(manifest);
            lastBackupFailure.set(null);
            if (warning != null) {
                LOG.warn("Backup {} of {} looks wrong: {}", id, server.database(), warning);
            }
            LOG.info("Backup {} of {} stored: {} bytes, sha256 {}, {} ms", id, server.database(), dump.sizeBytes(),
                    dump.sha256(), manifest.duration().toMillis());
            emit(new BackupEvent(BackupEvent.Type.BACKUP, true, id, finished, manifest.duration(),
                    dump.sizeBytes(), dump.sha256(), warning));
            return manifest;
        } catch (Exception e) {
            discard(id, written);
            BackupException failure = new BackupException("backup " + id + " of " + server.database() + " failed: "
                    + redactor.redact(String.valueOf(e.getMessage())), e);
            BackupEvent event = new BackupEvent(BackupEvent.Type.BACKUP, false, id, clock.now(),
                    Duration.ofNanos(clock.nanoTime() - t0), 0, null, failure.getMessage());
            lastBackupFailure.set(event);
            LOG.error("{}", failure.getMessage());
            emit(event);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw failure;
        }
    }

    private String guardVersions(String pgDumpVersion, int clientMajor) {
        try (Connection c = server.open(server.database()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version')")) {
            rs.next();
            int serverMajor = rs.getInt(1) / 10000;
            String serverVersion = rs.getString(2);
            if (clientMajor < serverMajor) {
                throw new BackupException("pg_dump is older than the server: " + pgDumpVersion + " (major "
                        + clientMajor + ") cannot dump PostgreSQL " + serverVersion + " (major " + serverMajor
                        + "). Install pg_dump " + serverMajor + " or newer, or point PgBinaries at it.");
            }
            return serverVersion;
        } catch (SQLException e) {
            throw new BackupException("cannot read the server version of " + server.describe(server.database())
                    + ": " + server.redactor().redact(e.getMessage()), e);
        }
    }

    private BackupArtifact dump(String id, int clientMajor, Compression used, Redactor redactor) throws Exception {
        List<String> command = new ArrayList<>(List.of(binaries.pgDump().toString()));
        command.addAll(server.toolArguments());
        command.add(used.pgDumpOption(clientMajor));
        if (format == DumpFormat.CUSTOM) {
            command.add("--format=custom");
            command.add("--dbname=" + server.database());
            return streamToStore(id + ".dump", command, redactor);
        }
        Path scratch = Files.createTempDirectory(workDirectory, "resilience-backup-" + id + "-");
        Path dumpDir = scratch.resolve("dump");
        try {
            command.addAll(List.of("--format=directory", "--jobs=" + jobs, "--file=" + dumpDir, "--dbname=" + server.database()));
            server.withToolEnvironment(env -> {
                try (PgProcess p = PgProcess.start(command, env, b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD))) {
                    int code = p.waitFor();
                    if (code != 0) {
                        throw new BackupException(p.describeFailure(code, redactor));
                    }
                }
                return null;
            });
            return artifacts.write(BackupArtifact.Kind.DUMP, id + ".dump.tar", out -> TarArchive.writeContents(dumpDir, out));
        } finally {
            deleteTree(scratch);
        }
    }

    private BackupArtifact globals(String id, Redactor redactor) throws Exception {
        List<String> command = new ArrayList<>(List.of(binaries.pgDumpall().toString()));
        command.addAll(server.toolArguments());
        command.add("--globals-only");
        command.add("--database=" + maintenanceDatabase);
        BackupArtifact streamed = streamToStore(id + ".globals.sql", command, redactor);
        return new BackupArtifact(BackupArtifact.Kind.GLOBALS, streamed.name(), streamed.sizeBytes(), streamed.sha256());
    }

    private BackupArtifact files(String id) throws IOException {
        for (Path path : extraFiles) {
            if (!Files.exists(path)) {
                throw new BackupException("extra file set does not exist: " + path);
            }
        }
        return artifacts.write(BackupArtifact.Kind.FILES, id + ".files.tar", out -> TarArchive.write(extraFiles, out));
    }

    /** Runs a tool whose standard output is the artifact and streams it into the store. */
    private BackupArtifact streamToStore(String name, List<String> command, Redactor redactor) throws Exception {
        return server.withToolEnvironment(env -> {
            try (PgProcess p = PgProcess.start(command, env, b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile())))) {
                BackupArtifact artifact;
                try (InputStream stdout = p.process().getInputStream()) {
                    artifact = artifacts.write(BackupArtifact.Kind.DUMP, name, out -> {
                        long copied = Streams.copy(stdout, out);
                        int code = p.waitFor();
                        if (code != 0) {
                            throw new BackupException(p.describeFailure(code, redactor));
                        }
                        if (copied == 0) {
                            throw new BackupException(p.tool() + " exited 0 but wrote nothing for " + name);
                        }
                    });
                }
                return artifact;
            }
        });
    }

    private String smallDumpWarning(BackupArtifact dump, List<BackupManifest> earlier) {
        Optional<BackupManifest> previous = earlier.stream().max(Comparator.comparing(BackupManifest::startedAt));
        if (previous.isEmpty() || smallDumpRatio <= 0) {
            return null;
        }
        long before = previous.get().sizeBytes();
        if (dump.sizeBytes() < before * smallDumpRatio) {
            return String.format(java.util.Locale.ROOT,
                    "suspiciously small: %d bytes is under %.0f%% of the previous backup %s (%d bytes)",
                    dump.sizeBytes(), smallDumpRatio * 100, previous.get().id(), before);
        }
        return null;
    }

    private void discard(String id, List<BackupArtifact> written) {
        if (written.isEmpty()) {
            return;
        }
        try {
            store.delete(new BackupManifest(id, server.database(), null, null, clock.now(), null, null, 0, "",
                    format, null, null, null, written, null, null));
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not remove the artifacts {} of failed backup {}: {}", written, id, e.toString());
        }
    }

    // ------------------------------------------------------------------ catalog

    /** Every backup in the store, oldest first by start time (never by file name). */
    public List<BackupManifest> list() {
        try {
            List<BackupManifest> all = new ArrayList<>(store.manifests());
            all.sort(Comparator.comparing(BackupManifest::startedAt).thenComparing(BackupManifest::id));
            return all;
        } catch (IOException e) {
            throw new BackupException("cannot read the backup catalog in " + store.describe() + ": " + e, e);
        }
    }

    /** The newest backup, if any. */
    public Optional<BackupManifest> latest() {
        List<BackupManifest> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The backup {@code id}. @throws BackupException when there is none */
    public BackupManifest find(String id) {
        return list().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new BackupException("no backup with id '" + id + "' in " + store.describe()));
    }

    // ------------------------------------------------------------------ verify

    /**
     * Verifies backup {@code id}: recomputes each artifact's SHA-256 against the manifest, then reads
     * the whole archive with {@code pg_restore} to {@code /dev/null} (decrypting on the fly, never to
     * disk). The result is recorded in the manifest either way.
     *
     * @return the manifest with the verification recorded
     * @throws BackupVerificationException when the verification failed (checksum, unreadable, wrong key)
     * @throws BackupException when there is no backup {@code id}
     */
    public BackupManifest verify(String id) {
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        try {
            checkIntact(manifest);
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

    private void checkIntact(BackupManifest manifest) {
        try {
            checkChecksumsAndReadability(manifest);
        } catch (BackupVerificationException e) {
            throw e;
        } catch (BackupException e) {
            throw new BackupVerificationException(e.getMessage(), e);
        }
    }

    private void checkChecksumsAndReadability(BackupManifest manifest) {
        artifacts.requireKey(manifest);
        for (BackupArtifact artifact : manifest.artifacts()) {
            artifacts.checkChecksum(manifest, artifact);
        }
        for (BackupArtifact artifact : manifest.artifacts()) {
            if (artifact.kind() == BackupArtifact.Kind.DUMP) {
                readDump(manifest, artifact);
            } else {
                readAll(manifest, artifact);
            }
        }
    }

    private void readDump(BackupManifest manifest, BackupArtifact artifact) {
        List<String> command = new ArrayList<>(List.of(binaries.pgRestore().toString(), "--file=/dev/null"));
        runRestoreTool(manifest, artifact, command, "read");
    }

    private void readAll(BackupManifest manifest, BackupArtifact artifact) {
        if (artifact.kind() != BackupArtifact.Kind.FILES) {
            artifacts.copyPlaintext(manifest, artifact, OutputStream.nullOutputStream());
            return;
        }
        try (InputStream in = artifacts.openPlaintext(manifest, artifact)) {
            TarArchive.read(in, null);
        } catch (IOException e) {
            throw artifacts.unreadable(manifest, artifact, e);
        }
    }

    /**
     * Feeds the dump artifact to pg_restore ({@code command} plus the format options): custom format
     * through its standard input, directory format unpacked into a scratch folder first.
     */
    private void runRestoreTool(BackupManifest manifest, BackupArtifact artifact, List<String> command, String what) {
        Redactor redactor = server.redactor();
        Path scratch = null;
        try {
            if (manifest.format() == DumpFormat.DIRECTORY) {
                scratch = Files.createTempDirectory(workDirectory, "resilience-restore-" + manifest.id() + "-");
                try (InputStream in = artifacts.openPlaintext(manifest, artifact)) {
                    TarArchive.read(in, scratch);
                } catch (IOException e) {
                    throw artifacts.unreadable(manifest, artifact, e);
                }
                command.addAll(List.of("--format=directory", "--jobs=" + jobs, scratch.toString()));
            } else {
                command.add("--format=custom");
            }
            boolean viaStdin = manifest.format() == DumpFormat.CUSTOM;
            server.withToolEnvironment(env -> {
                try (PgProcess p = PgProcess.start(command, env, b -> {
                    b.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    if (!viaStdin) {
                        b.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
                    }
                })) {
                    IOException pipeBroken = null;
                    if (viaStdin) {
                        try (InputStream in = artifacts.openPlaintext(manifest, artifact);
                             OutputStream stdin = p.process().getOutputStream()) {
                            Streams.copy(in, stdin);
                        } catch (Streams.ReadFailure e) {
                            throw artifacts.unreadable(manifest, artifact, e);
                        } catch (IOException e) {
                            pipeBroken = e;
                        }
                    }
                    int code = p.waitFor();
                    if (code != 0 || pipeBroken != null) {
                        throw new BackupException("pg_restore could not " + what + " backup " + manifest.id() + ": "
                                + p.describeFailure(code, redactor));
                    }
                }
                return null;
            });
        } catch (IOException e) {
            throw new BackupException("pg_restore could not " + what + " backup " + manifest.id() + ": "
                    + redactor.redact(e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while pg_restore was running for backup " + manifest.id(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Writes the plaintext of one artifact of backup {@code id} (decrypted when encrypted) to
     * {@code out}, after checking its checksum: for example the globals script to feed to psql, or the
     * tar of the extra files.
     *
     * @throws BackupVerificationException when the artifact's checksum does not match or it does not decrypt
     * @throws BackupException when the backup has no such artifact
     */
    public void export(String id, BackupArtifact.Kind kind, OutputStream out) {
        BackupManifest manifest = find(id);
        BackupArtifact artifact = manifest.artifacts().stream().filter(a -> a.kind() == kind).findFirst()
                .orElseThrow(() -> new BackupException("backup " + id + " has no " + kind + " artifact"));
        try {
            artifacts.requireKey(manifest);
            artifacts.checkChecksum(manifest, artifact);
            artifacts.copyPlaintext(manifest, artifact, out);
        } catch (BackupException e) {
            throw new BackupVerificationException(e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ drill and restore

    /**
     * Verifies backup {@code id}, restores it into a scratch database {@code resilience_backup_drill_<n>},
     * checks that it holds user tables and that each of {@code tablesWithRows} ({@code table} or
     * {@code schema.table}) has at least one row, drops it, and records the restore time (the measured
     * RTO) in the manifest.
     *
     * @throws BackupVerificationException when any step failed, recorded as a failed verification
     *         (the scratch database is dropped anyway)
     */
    public DrillResult drill(String id, Collection<String> tablesWithRows) {
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        String scratch = DRILL_PREFIX + clock.now().toEpochMilli() + "_" + ThreadLocalRandom.current().nextInt(1000);
        try {
            checkIntact(manifest);
            long r0 = clock.nanoTime();
            restoreInto(manifest, scratch, false);
            Duration restoreTime = since(r0);
            Map<String, Long> counts = new LinkedHashMap<>();
            int tables;
            try (Connection c = server.open(scratch); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_catalog.pg_tables "
                        + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                    rs.next();
                    tables = rs.getInt(1);
                }
                if (tables == 0) {
                    throw new BackupException("restore drill of backup " + id + ": the restored database holds no tables");
                }
                for (String table : tablesWithRows) {
                    long rows;
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + quoteQualified(table))) {
                        rs.next();
                        rows = rs.getLong(1);
                    } catch (SQLException e) {
                        throw new BackupException("restore drill of backup " + id + ": table " + table
                                + " cannot be counted: " + e.getMessage(), e);
                    }
                    if (rows == 0) {
                        throw new BackupException("restore drill of backup " + id + ": table " + table + " is empty");
                    }
                    counts.put(table, rows);
                }
            } catch (SQLException e) {
                throw new BackupException("restore drill of backup " + id + ": sanity queries failed: " + e.getMessage(), e);
            }
            BackupManifest verified = record(manifest, new Verification(VerificationStatus.PASSED, clock.now(),
                    "restore drill: " + tables + " tables" + (counts.isEmpty() ? "" : ", rows " + counts), true, restoreTime));
            LOG.info("Restore drill of backup {} passed: restored in {} ms, {} tables, rows {}", id,
                    restoreTime.toMillis(), tables, counts);
            emit(new BackupEvent(BackupEvent.Type.DRILL, true, id, clock.now(), since(t0), manifest.sizeBytes(),
                    manifest.sha256(), "restored in " + restoreTime.toMillis() + " ms"));
            return new DrillResult(verified, restoreTime, tables, counts);
        } catch (BackupException e) {
            fail(BackupEvent.Type.DRILL, manifest, t0, e, true);
            throw e instanceof BackupVerificationException ? e : new BackupVerificationException(e.getMessage(), e);
        } finally {
            dropQuietly(scratch);
        }
    }

    /**
     * Restores backup {@code id} into {@code targetDatabase}, after verifying it (a corrupt or
     * unverifiable backup is refused). The target is created; an existing database is dropped and
     * recreated only when {@code replaceExisting}. pg_restore runs with {@code --exit-on-error}; when it
     * fails, the half-restored target is dropped.
     *
     * @return how long the restore took
     * @throws BackupVerificationException when the backup is corrupt or unverifiable (nothing is created)
     * @throws BackupException when the target exists or the restore failed
     */
    public Duration restore(String id, String targetDatabase, boolean replaceExisting) {
        Objects.requireNonNull(targetDatabase, "targetDatabase");
        if (targetDatabase.isBlank()) {
            throw new IllegalArgumentException("targetDatabase must not be blank");
        }
        long t0 = clock.nanoTime();
        BackupManifest manifest = find(id);
        try {
            try {
                checkIntact(manifest);
            } catch (BackupException e) {
                record(manifest, new Verification(VerificationStatus.FAILED, clock.now(), e.getMessage(), false, null));
                throw new BackupVerificationException("refusing to restore backup " + id + ": " + e.getMessage(), e);
            }
            restoreInto(manifest, targetDatabase, replaceExisting);
            Duration took = since(t0);
            LOG.info("Backup {} restored into {} in {} ms", id, targetDatabase, took.toMillis());
            emit(new BackupEvent(BackupEvent.Type.RESTORE, true, id, clock.now(), took, manifest.sizeBytes(),
                    manifest.sha256(), "restored into " + targetDatabase));
            return took;
        } catch (BackupException e) {
            emit(new BackupEvent(BackupEvent.Type.RESTORE, false, id, clock.now(), since(t0), manifest.sizeBytes(),
                    manifest.sha256(), e.getMessage()));
            LOG.error("Restore of backup {} into {} failed: {}", id, targetDatabase, e.getMessage());
            throw e;
        }
    }

    private void restoreInto(BackupManifest manifest, String target, boolean replaceExisting) {
        try (Connection c = server.open(maintenanceDatabase)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_catalog.pg_database WHERE datname = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            try (Statement s = c.createStatement()) {
                if (exists && !replaceExisting) {
                    throw new BackupException("target database " + target + " exists; restore replaces it only when told"
                            + " explicitly (replaceExisting / --replace)");
                }
                if (exists) {
                    LOG.warn("Dropping existing database {} to restore backup {} into it", target, manifest.id());
                    s.execute("DROP DATABASE " + quote(target) + " WITH (FORCE)");
                }
                s.execute("CREATE DATABASE " + quote(target));
            }
        } catch (SQLException e) {
            throw new BackupException("cannot create the target database " + target + ": " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>(List.of(binaries.pgRestore().toString()));
        command.addAll(server.toolArguments());
        command.addAll(List.of("--exit-on-error", "--dbname=" + target));
        try {
            runRestoreTool(manifest, manifest.dump(), command, "restore into " + target);
        } catch (BackupException e) {
            dropQuietly(target);
            throw new BackupException(e.getMessage() + " (the partly restored database " + target + " was dropped)", e);
        }
    }

    private void dropQuietly(String database) {
        try (Connection c = server.open(maintenanceDatabase); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        } catch (SQLException | RuntimeException e) {
            LOG.error("Could not drop database {}: {}", database, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ prune

    /**
     * Applies the retention policy: deletes (or with {@code dryRun}, only lists) the backups it does
     * not keep. Idempotent. The newest backup and the newest verified good backup are always kept.
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
     * there is none, when the last backup attempt failed, or when the newest verification failed
     * (checksum mismatch included); DEGRADED when the store has under the minimum free space (default
     * 20 %) or the newest backup looks suspiciously small; UP otherwise.
     */
    public HealthCheck healthCheck() {
        return new BackupHealthCheck(this::list, lastBackupFailure::get, store, clock, maxAge, minFreeSpace);
    }

    /**
     * A {@link JobLock} backed by PostgreSQL advisory locks on this database, so that of several
     * instances embedding a {@link BackupScheduler} only one runs a given job.
     */
    public JobLock advisoryLock() {
        return new dev.resilience.backup.internal.AdvisoryLock(server);
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

    private void fail(BackupEvent.Type type, BackupManifest manifest, long t0, BackupException e, boolean drill) {
        LOG.error("{} of backup {} failed: {}", type == BackupEvent.Type.DRILL ? "Restore drill" : "Verification",
                manifest.id(), e.getMessage());
        try {
            record(manifest, new Verification(VerificationStatus.FAILED, clock.now(), e.getMessage(), drill, null));
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

    private String toolVersion(Path tool) throws IOException, InterruptedException {
        try (PgProcess p = PgProcess.start(List.of(tool.toString(), "--version"), Map.of(),
                b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile())))) {
            String out;
            try (InputStream in = p.process().getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            }
            int code = p.waitFor();
            if (code != 0 || !VERSION.matcher(out).find()) {
                throw new BackupException(tool + " --version failed: " + p.describeFailure(code, new Redactor(null))
                        + " " + out);
            }
            return out;
        }
    }

    static int major(String versionText) {
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            throw new BackupException("cannot read a version number in '" + versionText + "'");
        }
        return Integer.parseInt(m.group(1));
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String quoteQualified(String table) {
        return Arrays.stream(table.split("\\.", 2)).map(PostgresBackup::quote).reduce((a, b) -> a + "." + b).orElseThrow();
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    LOG.warn("Could not delete scratch file {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Could not delete scratch folder {}: {}", root, e.toString());
        }
    }

    /**
     * Builds a {@link PostgresBackup}. Defaults: host {@code localhost}, port 5432, user
     * {@code postgres}, no password (the tools then use {@code ~/.pgpass} or the environment), custom
     * format, {@link Compression#ofDefaults()}, no globals, no extra files, no encryption,
     * {@link RetentionPolicy#ofDefaults()}, small-dump warning under 50 % of the previous backup,
     * health maximum age 26 h (a daily backup plus slack for a slow run), minimum free space 20 %,
     * the system clock, {@link PgBinaries#locate()}. Not thread-safe; the built object is.
     */
    public static final class Builder {
        private String host = "localhost";
        private int port = 5432;
        private String database;
        private String user = "postgres";
        private Supplier<char[]> password;
        private String maintenanceDatabase = "postgres";
        private BackupStore store;
        private PgBinaries binaries;
        private DumpFormat format = DumpFormat.CUSTOM;
        private int jobs = 1;
        private Compression compression = Compression.ofDefaults();
        private boolean includeGlobals;
        private final List<Path> extraFiles = new ArrayList<>();
        private BackupEncryption encryption;
        private RetentionPolicy retention = RetentionPolicy.ofDefaults();
        private double smallDumpRatio = 0.5;
        private Duration maxAge = Duration.ofHours(26);
        private double minFreeSpace = 0.20;
        private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
        private Clock clock = Clock.system();
        private final List<BackupListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** @throws IllegalArgumentException when blank */
        public Builder host(String host) {
            this.host = nonBlank("host", host);
            return this;
        }

        /** @throws IllegalArgumentException unless 1..65535 */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The database to back up (required). @throws IllegalArgumentException when blank */
        public Builder database(String database) {
            this.database = nonBlank("database", database);
            return this;
        }

        /** @throws IllegalArgumentException when blank */
        public Builder user(String user) {
            this.user = nonBlank("user", user);
            return this;
        }

        /** The password (copied; the caller may clear its array). */
        public Builder password(char[] password) {
            char[] copy = Objects.requireNonNull(password, "password").clone();
            this.password = copy::clone;
            return this;
        }

        /** Where to get the password each time it is needed (a secret store, an environment variable). */
        public Builder password(Supplier<char[]> password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The database to connect to for CREATE/DROP DATABASE and globals (default {@code postgres}). */
        public Builder maintenanceDatabase(String database) {
            this.maintenanceDatabase = nonBlank("maintenanceDatabase", database);
            return this;
        }

        /** Where backups go (required). */
        public Builder store(BackupStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where pg_dump and friends are (default {@link PgBinaries#locate()}). */
        public Builder binaries(PgBinaries binaries) {
            this.binaries = Objects.requireNonNull(binaries, "binaries");
            return this;
        }

        /** The archive format (default {@link DumpFormat#CUSTOM}). */
        public Builder format(DumpFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Parallel jobs for the directory format (default 1). @throws IllegalArgumentException unless 1..64 */
        public Builder jobs(int jobs) {
            if (jobs < 1 || jobs > 64) {
                throw new IllegalArgumentException("jobs must be 1..64: " + jobs);
            }
            this.jobs = jobs;
            return this;
        }

        /** The compression (default {@link Compression#ofDefaults()}). */
        public Builder compression(Compression compression) {
            this.compression = Objects.requireNonNull(compression, "compression");
            return this;
        }

        /** Also stores {@code pg_dumpall --globals-only} (roles, tablespaces) with each backup. */
        public Builder includeGlobals(boolean includeGlobals) {
            this.includeGlobals = includeGlobals;
            return this;
        }

        /** Files or folders archived (as one tar) with each backup, for example configuration. */
        public Builder extraFiles(Path... paths) {
            for (Path path : paths) {
                extraFiles.add(Objects.requireNonNull(path, "extraFiles").toAbsolutePath().normalize());
            }
            return this;
        }

        /** Encrypts every artifact (default: no encryption). */
        public Builder encryption(BackupEncryption encryption) {
            this.encryption = encryption;
            return this;
        }

        /** The retention policy {@link #prune(boolean)} applies (default {@link RetentionPolicy#ofDefaults()}). */
        public Builder retention(RetentionPolicy retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * Flags a dump smaller than this fraction of the previous one (default 0.5; 0 disables).
         *
         * @throws IllegalArgumentException unless 0..1
         */
        public Builder smallDumpRatio(double ratio) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("smallDumpRatio must be 0..1: " + ratio);
            }
            this.smallDumpRatio = ratio;
            return this;
        }

        /** The age after which the health check reports the newest backup stale (default 26 h). */
        public Builder maxAge(Duration maxAge) {
            if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
            }
            this.maxAge = maxAge;
            return this;
        }

        /** The free-space fraction under which health is DEGRADED (default 0.20). */
        public Builder minFreeSpace(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("minFreeSpace must be 0..1: " + fraction);
            }
            this.minFreeSpace = fraction;
            return this;
        }

        /** Scratch space for the directory format (default {@code java.io.tmpdir}). */
        public Builder workDirectory(Path workDirectory) {
            this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory");
            return this;
        }

        /** The clock for timestamps and durations (default {@link Clock#system()}). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds a listener (metrics, alerts). */
        public Builder listener(BackupListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Appends every event to a JSON-lines audit log at {@code file}. */
        public Builder auditLog(Path file) {
            return listener(AuditLog.at(file));
        }

        /**
         * Builds the orchestrator.
         *
         * @throws IllegalArgumentException when database or store is missing, or the options conflict
         */
        public PostgresBackup build() {
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
            if (binaries == null) {
                binaries = PgBinaries.locate();
            }
            return new PostgresBackup(this);
        }

        private static String nonBlank(String name, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be blank: '" + value + "'");
            }
            return value;
        }
    }
}
