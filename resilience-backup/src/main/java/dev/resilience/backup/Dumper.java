package dev.resilience.backup;

import dev.resilience.backup.internal.PgProcess;
import dev.resilience.backup.internal.Redaction;
import dev.resilience.backup.internal.ServerConnection;
import dev.resilience.backup.internal.Streams;
import dev.resilience.backup.internal.TarArchive;
import dev.resilience.backup.internal.WorkFolder;
import dev.resilience.core.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes one backup: version guard, dump, optional globals and extra files, a structure check of the
 * archive, manifest. A failure at any point removes what this backup wrote. Thread-safe.
 */
final class Dumper {

    private static final Logger LOG = LoggerFactory.getLogger(Dumper.class);
    private static final Pattern VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    /** What the dumper needs, fixed at build time. */
    record Settings(String maintenanceDatabase, PgBinaries binaries, DumpFormat format, int jobs,
                    Compression compression, boolean includeGlobals, List<Path> extraFiles,
                    @Nullable BackupEncryption encryption, double smallDumpRatio) {
    }

    private final ServerConnection server;
    private final BackupStore store;
    private final StoredArtifacts artifacts;
    private final Verifier verifier;
    private final Settings settings;
    private final Clock clock;

    Dumper(ServerConnection server, BackupStore store, StoredArtifacts artifacts, Verifier verifier, Settings settings,
           Clock clock) {
        this.server = server;
        this.store = store;
        this.artifacts = artifacts;
        this.verifier = verifier;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Takes backup {@code id} and stores its manifest.
     *
     * @param earlier this database's earlier backups (for the tier and the small-dump check)
     * @throws Exception when anything failed; nothing of this backup is then left in the store
     */
    BackupManifest backup(String id, Instant started, long t0, List<BackupManifest> earlier, BackupTier tier)
            throws Exception {
        Redaction redactor = server.redactor();
        List<BackupArtifact> written = new ArrayList<>();
        try {
            String pgDumpVersion = toolVersion(settings.binaries().pgDump());
            int clientMajor = major(pgDumpVersion);
            String serverVersion = guardVersions(pgDumpVersion, clientMajor);
            Compression used = settings.compression().supportedBy(clientMajor);
            if (!used.equals(settings.compression())) {
                LOG.warn("pg_dump {} does not support {} compression (needs 16+); using {}",
                        clientMajor, settings.compression(), used);
            }
            written.add(dump(id, clientMajor, used, redactor));
            if (settings.includeGlobals()) {
                written.add(globals(id, redactor));
            }
            if (!settings.extraFiles().isEmpty()) {
                written.add(files(id));
            }
            BackupArtifact dump = written.get(0);
            String warning = smallDumpWarning(dump, earlier);
            BackupManifest manifest = new BackupManifest(id, server.database(), serverVersion, pgDumpVersion,
                    started, clock.now(), Duration.ofNanos(clock.nanoTime() - t0), dump.sizeBytes(), dump.sha256(),
                    settings.format(), used.toString(),
                    settings.encryption() == null ? null : settings.encryption().keyId(), tier, written, warning,
                    Verification.NONE, server.server());
            verifier.checkStructure(manifest);
            store.saveManifest(manifest);
            return manifest;
        } catch (Exception e) {
            discard(id, written);
            throw e;
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
                    + ": " + server.redactor().redact(String.valueOf(e.getMessage())), e);
        }
    }

    private BackupArtifact dump(String id, int clientMajor, Compression used, Redaction redactor) throws Exception {
        List<String> command = new ArrayList<>(List.of(settings.binaries().pgDump().toString()));
        command.addAll(server.toolArguments());
        command.add(used.pgDumpOption(clientMajor));
        if (settings.format() == DumpFormat.CUSTOM) {
            command.add("--format=custom");
            command.add("--dbname=" + server.database());
            return streamToStore(id + ".dump", command, redactor);
        }
        Path scratch = server.work().newDirectory("dump-" + id + "-");
        Path dumpDir = scratch.resolve("dump");
        try {
            command.addAll(List.of("--format=directory", "--jobs=" + settings.jobs(), "--file=" + dumpDir,
                    "--dbname=" + server.database()));
            server.runWithToolEnvironment(env -> {
                try (PgProcess p = PgProcess.start(server.work(), command, env,
                        b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD))) {
                    int code = p.waitFor();
                    if (code != 0) {
                        throw new BackupException(p.describeFailure(code, redactor));
                    }
                }
            });
            return artifacts.write(BackupArtifact.Kind.DUMP, id + ".dump.tar", out -> TarArchive.writeContents(dumpDir, out));
        } finally {
            WorkFolder.deleteTree(scratch);
        }
    }

    private BackupArtifact globals(String id, Redaction redactor) throws Exception {
        List<String> command = new ArrayList<>(List.of(settings.binaries().pgDumpall().toString()));
        command.addAll(server.toolArguments());
        command.add("--globals-only");
        command.add("--database=" + settings.maintenanceDatabase());
        BackupArtifact streamed = streamToStore(id + ".globals.sql", command, redactor);
        return new BackupArtifact(BackupArtifact.Kind.GLOBALS, streamed.name(), streamed.sizeBytes(), streamed.sha256());
    }

    private BackupArtifact files(String id) throws IOException {
        for (Path path : settings.extraFiles()) {
            if (!Files.exists(path)) {
                throw new BackupException("extra file set does not exist: " + path);
            }
        }
        return artifacts.write(BackupArtifact.Kind.FILES, id + ".files.tar", out -> TarArchive.write(settings.extraFiles(), out));
    }

    /** Runs a tool whose standard output is the artifact and streams it into the store. */
    private BackupArtifact streamToStore(String name, List<String> command, Redaction redactor) throws Exception {
        return server.withToolEnvironment(env -> {
            try (PgProcess p = PgProcess.start(server.work(), command, env,
                    b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile())))) {
                BackupArtifact artifact;
                try (InputStream stdout = p.process().getInputStream()) {
                    artifact = artifacts.write(BackupArtifact.Kind.DUMP, name, out -> {
                        long copied = Streams.copyReadingAhead(stdout, out);
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

    private @Nullable String smallDumpWarning(BackupArtifact dump, List<BackupManifest> earlier) {
        Optional<BackupManifest> previous = earlier.stream().max(Comparator.comparing(BackupManifest::startedAt));
        if (previous.isEmpty() || settings.smallDumpRatio() <= 0) {
            return null;
        }
        long before = previous.get().sizeBytes();
        if (dump.sizeBytes() < before * settings.smallDumpRatio()) {
            return String.format(java.util.Locale.ROOT,
                    "suspiciously small: %d bytes is under %.0f%% of the previous backup %s (%d bytes)",
                    dump.sizeBytes(), settings.smallDumpRatio() * 100, previous.get().id(), before);
        }
        return null;
    }

    private void discard(String id, List<BackupArtifact> written) {
        if (written.isEmpty()) {
            return;
        }
        try {
            // a stand-in manifest that lists the written artifacts: the store deletes by the artifact list
            Instant now = clock.now();
            store.delete(new BackupManifest(id, server.database(), "", "", now, now, Duration.ZERO, 0, "",
                    settings.format(), "", null, BackupTier.DAILY, written, null, Verification.NONE, server.server()));
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not remove the artifacts {} of failed backup {}: {}", written, id, e.toString());
        }
    }

    private String toolVersion(Path tool) throws IOException, InterruptedException {
        try (PgProcess p = PgProcess.start(server.work(), List.of(tool.toString(), "--version"), server.scrubbedEnvironment(),
                b -> b.redirectInput(ProcessBuilder.Redirect.from(nullFile())))) {
            String out;
            try (InputStream in = p.process().getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
            }
            int code = p.waitFor();
            if (code != 0 || !VERSION.matcher(out).find()) {
                throw new BackupException(tool + " --version failed: " + p.describeFailure(code, new Redaction(null))
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
}
