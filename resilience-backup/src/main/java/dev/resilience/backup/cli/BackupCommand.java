package dev.resilience.backup.cli;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupArtifact;
import dev.resilience.backup.BackupEvent;
import dev.resilience.backup.BackupException;
import dev.resilience.backup.BackupVerificationException;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.Compression;
import dev.resilience.backup.DrillResult;
import dev.resilience.backup.DumpFormat;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.PruneResult;
import dev.resilience.backup.RestoreOptions;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.resilience.backup.internal.Json;
import dev.resilience.backup.internal.OwnerOnly;
import java.util.Objects;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar resilience-backup-<version>-cli.jar <command>}: the command line over
 * {@link PostgresBackup}. Exit codes: 0 success; 1 the operation failed (including a verification that
 * could not run: missing or wrong key, server down); 2 bad usage or configuration; 3 a backup was proved
 * corrupt (missing file, size or checksum mismatch, unreadable archive); 4 the backup was stored but flagged
 * (suspiciously small). {@code status} exits 0 when the last good backup is fresh and 1 when it is stale, the
 * newest backup was proved corrupt, or there is none. With {@code --notify-url}, every non-zero exit is
 * also posted to a webhook (see {@link Webhook}). The password is read from an environment variable or a
 * file, never from an argument value.
 */
@Command(name = "resilience-backup", mixinStandardHelpOptions = true, version = "resilience-backup 0.1.0",
        description = "pg_dump backups with checksums, encryption, verification, restore and retention.",
        subcommands = {BackupCommand.Backup.class, BackupCommand.ListBackups.class, BackupCommand.Status.class,
                BackupCommand.Verify.class,
                BackupCommand.Restore.class, BackupCommand.Export.class, BackupCommand.Prune.class,
                BackupCommand.Keygen.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success", "1:the operation failed", "2:bad usage or configuration",
                "3:a backup was proved corrupt", "4:backup stored but flagged suspicious",
                "status: 0 the last good backup is fresh, 1 stale, failed or none"})
public final class BackupCommand implements Runnable {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int CORRUPT = 3;
    static final int FLAGGED = 4;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns its exit code (for embedding and tests).
     *
     * @param args the command line
     * @return the exit code: 0 success, 1 a failed operation, 2 a usage error
     */
    public static int execute(String... args) {
        return execute(new CommandLine(new BackupCommand()), args);
    }

    /**
     * Runs {@code commandLine} (whose output streams the caller may have set) and returns its exit code;
     * a non-zero exit is posted to the {@code --notify-url} webhook when one was given.
     */
    static int execute(CommandLine commandLine, String... args) {
        String[] error = new String[1];
        int code = commandLine
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    error[0] = e.getMessage();
                    cmd.getErr().println("error: " + e.getMessage());
                    return exitCode(e);
                })
                .execute(args);
        if (code != 0) {
            notifyFailure(commandLine.getParseResult(), code, error[0]);
        }
        ConnectionOptions options = options(commandLine.getParseResult());
        if (options != null) {
            options.s3.close();
        }
        return code;
    }

    /** The options of the subcommand that ran; null when none ran. */
    private static @Nullable ConnectionOptions options(CommandLine.@Nullable ParseResult parsed) {
        if (parsed == null || !parsed.hasSubcommand()) {
            return null;
        }
        CommandLine.Model.CommandSpec mixin = parsed.subcommand().commandSpec().mixins().get("options");
        return mixin != null && mixin.userObject() instanceof ConnectionOptions options ? options : null;
    }

    private static void notifyFailure(CommandLine.ParseResult parsed, int code, String error) {
        ConnectionOptions options = options(parsed);
        if (options != null && (options.notifyUrl != null || options.notifyUrlFile != null)) {
            CommandLine.Model.CommandSpec command = parsed.subcommand().commandSpec();
            try {
                String database = error == null && !options.failures.isEmpty() ? String.join(",", options.failures.keySet())
                        : options.severalDatabases() ? String.join(",", options.databases) : options.databaseName();
                String message = error != null ? error : !options.failures.isEmpty()
                        ? String.join("; ", options.failures.values()) : "exit code " + code;
                java.net.URI url = options.webhookUrl();
                if (url != null) {
                    new Webhook(url, options.notifyTimeout).post(database, command.name(), code, message);
                }
            } catch (IllegalArgumentException e) {
                command.commandLine().getErr().println("error: " + e.getMessage());
            }
        }
    }

    /** The exit code for an exception a command threw. */
    static int exitCode(Exception e) {
        return e instanceof IllegalArgumentException ? USAGE : e instanceof BackupVerificationException ? CORRUPT : FAILED;
    }

    /** Exit codes from best to worst: a run over several databases exits with the worst. */
    private static final List<Integer> SEVERITY = List.of(0, FLAGGED, FAILED, CORRUPT, USAGE);

    static int worst(int a, int b) {
        return SEVERITY.indexOf(a) >= SEVERITY.indexOf(b) ? a : b;
    }

    /** One database's part of a command; returns its exit code. */
    interface DatabaseRun {
        int run(String database, PostgresBackup.Builder builder) throws IOException;
    }

    /**
     * Runs {@code one} for the database the options name, or for each of several ({@code -d a -d b}) or
     * of all ({@code --all-databases}), each then in its own folder {@code <store>/<database>}. With
     * several, a failing database is reported and the next one still runs; the exit code is the worst.
     */
    static int forEachDatabase(ConnectionOptions options, boolean all, PrintWriter err, DatabaseRun one) throws IOException {
        if (all && !options.databases.isEmpty()) {
            throw new IllegalArgumentException("give either --database or --all-databases, not both");
        }
        if (!all && !options.severalDatabases()) {
            PostgresBackup.Builder builder = options.builder(); // refuses a missing database
            return one.run(Objects.requireNonNull(options.databaseName(), "database"), builder);
        }
        List<String> databases = all ? options.allDatabases() : options.databases;
        int code = 0;
        for (String database : databases) {
            int result;
            try {
                result = one.run(database, options.builder(database, true));
            } catch (RuntimeException | IOException e) {
                err.println("error: " + database + ": " + e.getMessage());
                options.failures.put(database, e.getMessage());
                result = exitCode(e);
            }
            code = worst(code, result);
        }
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required (backup, list, status, verify, restore, export, prune, keygen)");
    }

    @Command(name = "backup", mixinStandardHelpOptions = true, description = "Take a backup now.")
    static final class Backup implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--format", defaultValue = "custom", description = "custom (pg_dump -Fc) or directory (-Fd -j N).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String format;

        @Option(names = {"-j", "--jobs"}, defaultValue = "1", description = "Parallel jobs (directory format).")
        int jobs;

        @Option(names = "--compress", defaultValue = "zstd:3",
                description = "none, gzip[:1-9], zstd[:1-22] or lz4; zstd/lz4 fall back to gzip:6 before pg_dump 16 (default: ${DEFAULT-VALUE}).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String compress;

        @Option(names = "--globals", description = "Also store pg_dumpall --globals-only.")
        boolean globals;

        @Option(names = "--files", paramLabel = "PATH", description = "Extra files or folders archived with the backup.")
        List<Path> files = new ArrayList<>();

        @Option(names = "--prune", description = "Apply retention after a successful backup.")
        boolean prune;

        @Option(names = "--all-databases", description = "Back up every non-template database, each into <store>/<database>.")
        boolean all;

        @Override
        public Integer call() throws IOException {
            DumpFormat dumpFormat = ConnectionOptions.format(format);
            Compression compression = ConnectionOptions.compression(compress);
            return forEachDatabase(options, all, spec.commandLine().getErr(), (database, builder) -> {
                PostgresBackup backup = builder.format(dumpFormat).jobs(jobs).compression(compression)
                        .includeGlobals(globals).extraFiles(files.toArray(Path[]::new)).build();
                BackupManifest m = backup.backup();
                PrintWriter out = spec.commandLine().getOut();
                out.printf("%s %d bytes sha256 %s in %d ms%n", m.id(), m.sizeBytes(), m.sha256(), m.duration().toMillis());
                if (prune) {
                    PruneResult result = backup.prune(false);
                    out.printf("pruned %d, kept %d%n", result.deleted().size(), result.kept().size());
                }
                if (m.warning() != null) {
                    spec.commandLine().getErr().println("warning: " + m.warning());
                    options.failures.put(database, "backup " + m.id() + " stored but flagged: " + m.warning());
                    return FLAGGED;
                }
                return 0;
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List backups, oldest first.")
    static final class ListBackups implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Write one JSON object: database, backups (oldest first), orphans.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PostgresBackup backup = options.build();
            List<BackupManifest> backups = backup.list();
            List<String> orphans = backup.orphans();
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(new Catalog(backup.database(),
                        backups.stream().map(BackupStatus.Entry::of).toList(), orphans)));
                return 0;
            }
            out.printf("%-44s %-20s %12s %-8s %-10s %s%n", "ID", "STARTED", "BYTES", "TIER", "VERIFIED", "NOTE");
            for (BackupManifest m : backups) {
                out.printf("%-44s %-20s %12d %-8s %-10s %s%n", m.id(), m.startedAt().toString().substring(0, 19),
                        m.sizeBytes(), m.tier(), m.verification().status(),
                        m.warning() != null ? m.warning() : m.encrypted() ? "encrypted " + m.encryptionKeyId() : "");
            }
            for (String orphan : orphans) {
                out.printf("orphan: %s is in the store but no manifest lists it%n", orphan);
            }
            return 0;
        }

        /** The shape of {@code list --json}. */
        @JsonPropertyOrder({"database", "backups", "orphans"})
        record Catalog(String database, List<BackupStatus.Entry> backups, List<String> orphans) {
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The last good backup, its age, the size trend, the newest verification and orphans;"
                    + " exit 0 when fresh, 1 when stale, failed or none (for monitoring).")
    static final class Status implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Write one JSON object (see the README for its fields).")
        boolean json;

        @Option(names = "--max-age", defaultValue = "PT26H", paramLabel = "DURATION",
                description = "Age beyond which the last good backup is stale, ISO-8601 (default: ${DEFAULT-VALUE}).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        Duration maxAge;

        @Option(names = "--all-databases", description = "Report every non-template database, each in <store>/<database>.")
        boolean all;

        @Override
        public Integer call() throws IOException {
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("--max-age must not be negative: " + maxAge);
            }
            PrintWriter out = spec.commandLine().getOut();
            return forEachDatabase(options, all, spec.commandLine().getErr(), (database, builder) -> {
                PostgresBackup backup = builder.build();
                BackupStatus status = BackupStatus.of(database, backup.list(), backup.orphans(), Instant.now(), maxAge);
                String line = describe(status);
                out.println(json ? Json.MAPPER.writeValueAsString(status) : line);
                if (status.fresh()) {
                    return 0;
                }
                options.failures.put(database, line);
                return FAILED;
            });
        }

        private static String describe(BackupStatus s) {
            String last = s.lastGoodBackup() == null ? "no good backup"
                    : "last good " + s.lastGoodBackup().id() + " " + s.ageSeconds() + " s old";
            return s.database() + " " + s.state() + ": " + last + " (limit " + s.maxAgeSeconds() + " s), newest verification "
                    + s.verification() + ", sizes " + s.sizeTrend() + ", " + s.orphans().size() + " orphans";
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a backup's checksums and read it whole with pg_restore; --drill restores it into a scratch database.")
    static final class Verify implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", defaultValue = "latest", description = "Backup id or 'latest' (default).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String id;

        @Option(names = "--drill", description = "Also restore into a scratch database, run sanity queries, drop it.")
        boolean drill;

        @Option(names = "--drill-table", paramLabel = "TABLE", description = "Table that must have rows after the drill.")
        List<String> tables = new ArrayList<>();

        @Override
        public Integer call() {
            PostgresBackup backup = options.build();
            String target = resolve(backup, id);
            if (drill) {
                DrillResult result = backup.drill(target, tables);
                spec.commandLine().getOut().printf("%s passed drill: restored in %d ms, %d tables %s%n", target,
                        result.restoreTime().toMillis(), result.tableCount(), result.rowCounts());
            } else {
                backup.verify(target);
                spec.commandLine().getOut().printf("%s verified%n", target);
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Verify a backup, then restore it into a new database (or replace one with --replace).")
    static final class Restore implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", defaultValue = "latest", description = "Backup id or 'latest' (default).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String id;

        @Option(names = "--target", required = true, description = "Database to restore into.")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String target;

        @Option(names = "--replace", description = "Replace the target when it exists: the backup is restored into a"
                + " fresh database that is swapped in by rename once complete; the previous database is kept as"
                + " <target>_replaced_<time>.")
        boolean replace;

        @Option(names = "--drop-replaced", description = "With --replace: drop the previous database after the swap.")
        boolean dropReplaced;

        @Option(names = "--no-owner", description = "Do not restore ownership: objects belong to the restoring user.")
        boolean noOwner;

        @Option(names = "--no-acl", description = "Do not restore privileges (GRANT/REVOKE).")
        boolean noAcl;

        @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
                description = "Restore only this table (pg_restore -t: definition and data, no indexes or constraints); repeatable.")
        List<String> tables = new ArrayList<>();

        @Option(names = {"-n", "--schema"}, paramLabel = "SCHEMA", description = "Restore only this schema (pg_restore -n); repeatable.")
        List<String> schemas = new ArrayList<>();

        @Override
        public Integer call() {
            if (dropReplaced && !replace) {
                throw new IllegalArgumentException("--drop-replaced needs --replace");
            }
            List<String> notes = new ArrayList<>();
            PostgresBackup backup = options.builder().listener(event -> {
                if (event.type() == BackupEvent.Type.RESTORE && event.success()) {
                    notes.add(event.message());
                }
            }).build();
            String backupId = resolve(backup, id);
            Duration took = backup.restore(backupId, target, RestoreOptions.DEFAULTS.replaceExisting(replace)
                    .dropReplaced(dropReplaced).noOwner(noOwner).noAcl(noAcl).tables(tables).schemas(schemas));
            spec.commandLine().getOut().printf("%s %s in %d ms%n", backupId, notes.isEmpty() ? "restored into " + target
                    : notes.get(0), took.toMillis());
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write one artifact of a backup, checked and decrypted: the dump, the globals script or the extra files tar.")
    static final class Export implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", defaultValue = "latest", description = "Backup id or 'latest' (default).")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String id;

        @Option(names = "--artifact", required = true, description = "dump, globals or files.")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        String artifact;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write it.")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        Path output;

        @Override
        public Integer call() throws IOException {
            BackupArtifact.Kind kind = BackupArtifact.Kind.valueOf(artifact.toUpperCase(java.util.Locale.ROOT));
            PostgresBackup backup = options.build();
            String backupId = resolve(backup, id);
            // decrypted data goes to an owner-only file beside the output, moved into place only when complete:
            // a refused or failed export leaves an existing output file untouched
            Path absolute = output.toAbsolutePath();
            Path partial = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".partial",
                    OwnerOnly.file());
            try {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    backup.export(backupId, kind, out);
                }
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            spec.commandLine().getOut().printf("%s %s written to %s%n", backupId, kind, output);
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Apply grandfather-father-son retention.")
    static final class Prune implements Callable<Integer> {
        @Mixin ConnectionOptions options;
        @Spec CommandLine.Model.CommandSpec spec;

        @Option(names = "--dry-run", description = "List what would be deleted, delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            PruneResult result = options.build().prune(dryRun);
            PrintWriter out = spec.commandLine().getOut();
            for (BackupManifest m : result.deleted()) {
                out.printf("%s %s%n", dryRun ? "would delete" : "deleted", m.id());
            }
            out.printf("%s %d, kept %d%n", dryRun ? "would delete" : "deleted", result.deleted().size(), result.kept().size());
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Print a new random base64 AES-256 key for --key-file or --key-env, or write it to a new"
                    + " owner-only (0600) file with -o.")
    static final class Keygen implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "New key file, created with mode 0600; an existing file is refused.")
        @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
        Path output;

        @Override
        public Integer call() throws IOException {
            String key = BackupEncryption.generateKey();
            if (output == null) {
                spec.commandLine().getOut().println(key);
                return 0;
            }
            if (Files.exists(output)) {
                throw new IllegalArgumentException("--output " + output + " exists; a key file is never overwritten");
            }
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(output,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OwnerOnly.file())) {
                channel.write(java.nio.ByteBuffer.wrap((key + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            spec.commandLine().getOut().printf("key written to %s%n", output);
            return 0;
        }
    }

    private static String resolve(PostgresBackup backup, String id) {
        if (!"latest".equals(id)) {
            return id;
        }
        return backup.latest().map(BackupManifest::id)
                .orElseThrow(() -> new BackupException("no backup in " + backup.store().describe()));
    }
}
