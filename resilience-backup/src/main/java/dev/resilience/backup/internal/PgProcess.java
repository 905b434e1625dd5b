package dev.resilience.backup.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL client tool run as a child process. Its standard error goes to a file in the private
 * {@link WorkFolder} (no
 * pumping thread needed, no deadlock on a full pipe), read back redacted when it fails. Closing kills
 * the process if it still runs and removes the file. Not thread-safe.
 */
public final class PgProcess implements AutoCloseable {

    private static final int STDERR_TAIL_BYTES = 8192;

    private final String tool;
    private final Process process;
    private final Path stderr;

    private PgProcess(String tool, Process process, Path stderr) {
        this.tool = tool;
        this.process = process;
        this.stderr = stderr;
    }

    /**
     * Starts {@code command} with {@code environment} applied to this process's environment (a null value removes the variable).
     * Standard input and output are pipes unless redirected by the caller through {@code configure}.
     */
    public static PgProcess start(WorkFolder work, List<String> command, Map<String, String> environment,
                                  java.util.function.Consumer<ProcessBuilder> configure) throws IOException {
        Path stderr = work.newFile("resilience-backup-", ".stderr");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            configure.accept(builder);
            return new PgProcess(Path.of(command.get(0)).getFileName().toString(), builder.start(), stderr);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stderr);
            throw e;
        }
    }

    public Process process() {
        return process;
    }

    /** The tool's name, for messages. */
    public String tool() {
        return tool;
    }

    /** Waits for the exit and returns its code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Waits at most {@code seconds}; true when it exited. */
    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** The end of the tool's standard error, redacted and trimmed; empty when it wrote nothing. */
    public String stderr(Redaction redactor) {
        try {
            byte[] bytes = Files.readAllBytes(stderr);
            int from = Math.max(0, bytes.length - STDERR_TAIL_BYTES);
            return redactor.redact(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return "(standard error unreadable: " + e.getMessage() + ")";
        }
    }

    /** "pg_dump exited with code 1: &lt;stderr&gt;" or "pg_dump was killed by signal 9: ...". */
    public String describeFailure(int exitCode, Redaction redactor) {
        String how = exitCode > 128 ? "was killed (exit code " + exitCode + ", signal " + (exitCode - 128) + ")"
                : "exited with code " + exitCode;
        String err = stderr(redactor);
        return tool + " " + how + (err.isEmpty() ? "" : ": " + err);
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(stderr);
    }
}
