package dev.resilience.backup;

import dev.resilience.backup.internal.PgProcess;
import dev.resilience.backup.internal.Redaction;
import dev.resilience.backup.internal.ServerConnection;
import dev.resilience.backup.internal.Streams;
import dev.resilience.backup.internal.TarArchive;
import dev.resilience.backup.internal.WorkFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Proves a stored backup intact, or says why not, keeping two answers apart: a
 * {@link BackupVerificationException} when the backup is proved corrupt (missing file, size or SHA-256
 * mismatch, a manifest that contradicts itself, an archive pg_restore rejects although its bytes are as
 * written) and a plain {@link BackupException} when the check could not run (missing or wrong key,
 * missing or killed tool, unreadable store). Also feeds a dump to pg_restore for restores. Thread-safe.
 */
final class Verifier {

    private final ServerConnection server;
    private final PgBinaries binaries;
    private final StoredArtifacts artifacts;
    private final int jobs;

    Verifier(ServerConnection server, PgBinaries binaries, StoredArtifacts artifacts, int jobs) {
        this.server = server;
        this.binaries = binaries;
        this.artifacts = artifacts;
        this.jobs = jobs;
    }

    /** Checks every field the manifest states about its files, then reads every artifact whole. */
    void checkIntact(BackupManifest manifest) {
        artifacts.requireKey(manifest);
        BackupArtifact dump = manifest.dump();
        if (dump.sizeBytes() != manifest.sizeBytes() || !dump.sha256().equals(manifest.sha256())) {
            throw new BackupVerificationException("manifest of backup " + manifest.id() + " contradicts itself: it states "
                    + manifest.sizeBytes() + " bytes sha256 " + manifest.sha256() + " but its dump artifact "
                    + dump.sizeBytes() + " bytes sha256 " + dump.sha256(), null);
        }
        for (BackupArtifact artifact : manifest.artifacts()) {
            artifacts.checkChecksum(manifest, artifact);
        }
        for (BackupArtifact artifact : manifest.artifacts()) {
            if (artifact.kind() == BackupArtifact.Kind.DUMP) {
                feedPgRestore(manifest, artifact, new ArrayList<>(List.of(binaries.pgRestore().toString(),
                        "--file=/dev/null")), "read", true, false);
            } else if (artifact.kind() == BackupArtifact.Kind.FILES) {
                try (InputStream in = artifacts.openPlaintext(manifest, artifact)) {
                    TarArchive.read(in, null);
                } catch (IOException e) {
                    throw artifacts.unreadable(manifest, artifact, e);
                }
            } else {
                artifacts.copyPlaintext(manifest, artifact, OutputStream.nullOutputStream());
            }
        }
    }

    /**
     * Restores the dump into {@code database} with {@code pg_restore --exit-on-error}. A failure here
     * proves nothing against the backup (a missing role, a full disk), so it is a plain BackupException.
     */
    void restoreInto(BackupManifest manifest, String database, RestoreOptions options) {
        List<String> command = new ArrayList<>(List.of(binaries.pgRestore().toString()));
        command.addAll(server.toolArguments());
        command.addAll(List.of("--exit-on-error", "--dbname=" + database));
        command.addAll(options.pgRestoreArguments());
        feedPgRestore(manifest, manifest.dump(), command, "restore into " + database, false, false);
    }

    /**
     * Reads the archive's table of contents ({@code pg_restore --list}, which stops after the TOC): a
     * dump whose structure pg_restore rejects is proved corrupt, whatever pg_dump's exit code said.
     */
    void checkStructure(BackupManifest manifest) {
        feedPgRestore(manifest, manifest.dump(), new ArrayList<>(List.of(binaries.pgRestore().toString(), "--list",
                "--file=/dev/null")), "read the table of contents of", true, true);
    }

    /**
     * Feeds the dump artifact to pg_restore ({@code command} plus the format options): custom format
     * through its standard input, directory format unpacked into a scratch folder first. When
     * {@code proves} and pg_restore rejects the archive, the backup is proved corrupt. With
     * {@code readsPrefixOnly} pg_restore may stop reading before the end (a closed pipe is then no error).
     */
    private void feedPgRestore(BackupManifest manifest, BackupArtifact artifact, List<String> command, String what,
                               boolean proves, boolean readsPrefixOnly) {
        Redaction redactor = server.redactor();
        @Nullable Path scratch = null;
        try {
            if (manifest.format() == DumpFormat.DIRECTORY) {
                scratch = server.work().newDirectory("restore-" + manifest.id() + "-");
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
            server.runWithToolEnvironment(env -> {
                try (PgProcess p = PgProcess.start(server.work(), command, env, b -> {
                    b.redirectOutput(ProcessBuilder.Redirect.DISCARD);
                    if (!viaStdin) {
                        b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                    }
                })) {
                    IOException pipeBroken = null;
                    if (viaStdin) {
                        try (InputStream in = artifacts.openPlaintext(manifest, artifact);
                             OutputStream stdin = p.process().getOutputStream()) {
                            Streams.copyReadingAhead(in, stdin);
                        } catch (Streams.ReadFailure e) {
                            throw artifacts.unreadable(manifest, artifact, e);
                        } catch (IOException e) {
                            pipeBroken = e;
                        }
                    }
                    int code = p.waitFor();
                    if (code != 0 || (pipeBroken != null && !readsPrefixOnly)) {
                        String message = "pg_restore could not " + what + " backup " + manifest.id() + ": "
                                + p.describeFailure(code, redactor);
                        throw proves && rejectsTheArchive(code, p.stderr(redactor))
                                ? new BackupVerificationException(message, pipeBroken)
                                : new BackupException(message, pipeBroken);
                    }
                }
            });
        } catch (IOException e) {
            throw new BackupException("pg_restore could not " + what + " backup " + manifest.id() + ": "
                    + redactor.redact(e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupException("interrupted while pg_restore was running for backup " + manifest.id(), e);
        } finally {
            WorkFolder.deleteTree(scratch);
        }
    }

    /**
     * pg_restore exited 1 on its own: it rejected the archive. Killed (exit above 128), or too old for
     * the archive's format version, it proved nothing.
     */
    private static boolean rejectsTheArchive(int code, String stderr) {
        return code == 1 && !stderr.contains("unsupported version");
    }
}
