package dev.resilience.backup;

import dev.resilience.backup.internal.Json;
import dev.resilience.backup.internal.OwnerOnly;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An append-only JSON-lines file with one line per {@link BackupEvent}: when, what, result, backup
 * id, size, checksum, duration and message (secrets already redacted). Each line is appended with a
 * single write to a file opened in append mode and forced to disk, so lines never interleave and an
 * event survives a crash right after it. The file is created with mode 0600 (its folder, when created,
 * 0700). Thread-safe.
 */
public final class AuditLog implements BackupListener {

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();

    private AuditLog(Path file) {
        this.file = file;
    }

    /**
     * An audit log appending to {@code file} (its folder is created when missing).
     *
     * @param file the JSON-lines file; appended to, never truncated
     * @return the log; add it with {@link PostgresBackup.Builder#listener}
     * @throws IllegalArgumentException when the folder cannot be created
     */
    public static AuditLog at(Path file) {
        Objects.requireNonNull(file, "file");
        Path absolute = file.toAbsolutePath();
        try {
            Path folder = absolute.getParent();
            if (folder != null) {
                OwnerOnly.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("audit log folder cannot be created: " + absolute.getParent(), e);
        }
        return new AuditLog(absolute);
    }

    /**
     * The file this log appends to.
     *
     * @return the absolute path
     */
    public Path file() {
        return file;
    }

    /**
     * The newest event of {@code type} in the file, if any; unreadable lines are skipped. Lets a
     * restarted service know that its last backup failed.
     *
     * @param type the kind of event
     * @return the newest such event, or empty when the file is missing or holds none
     * @throws UncheckedIOException when the file exists but cannot be read
     */
    public Optional<BackupEvent> lastEvent(BackupEvent.Type type) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        BackupEvent last = null;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                try {
                    BackupEvent event = Json.MAPPER.readValue(line, BackupEvent.class);
                    if (event.type() == type) {
                        last = event;
                    }
                } catch (IOException | RuntimeException e) {
                    // a torn last line after a crash, or a line from a newer version: not an event we know
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup audit log " + file, e);
        }
        return Optional.ofNullable(last);
    }

    /** Appends the event as one JSON line. @throws UncheckedIOException when the file cannot be written */
    @Override
    public void onEvent(BackupEvent event) {
        lock.lock();
        try (FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND), OwnerOnly.file())) {
            byte[] line = (Json.MAPPER.writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the backup audit log " + file, e);
        } finally {
            lock.unlock();
        }
    }
}
