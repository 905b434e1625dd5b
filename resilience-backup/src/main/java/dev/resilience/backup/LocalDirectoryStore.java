package dev.resilience.backup;

import dev.resilience.backup.internal.Json;
import dev.resilience.backup.internal.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups in a local directory: {@code <name>} per artifact, written as {@code <name>.partial},
 * fsynced and renamed atomically; {@code <id>.manifest.json} per backup, written the same way. Files
 * are created with mode 0600 on POSIX systems. The directory is created when missing, with mode 0700
 * (an existing directory keeps its mode). Thread-safe (distinct backups never share a file).
 */
public final class LocalDirectoryStore implements BackupStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryStore.class);
    static final String MANIFEST_SUFFIX = ".manifest.json";
    static final String PARTIAL_SUFFIX = ".partial";

    private final Path directory;

    private LocalDirectoryStore(Path directory) {
        this.directory = directory;
    }

    /**
     * A store in {@code directory}, created when missing.
     *
     * @param directory the folder; created owner-only when missing
     * @return the store
     * @throws IllegalArgumentException when the directory cannot be created or is not a directory
     */
    public static LocalDirectoryStore of(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path absolute = directory.toAbsolutePath().normalize();
        try {
            OwnerOnly.createDirectories(absolute);
        } catch (IOException e) {
            throw new IllegalArgumentException("directory cannot be created: " + absolute + " (" + e + ")", e);
        }
        return new LocalDirectoryStore(absolute);
    }

    /**
     * The directory this store writes to.
     *
     * @return the directory as given
     */
    public Path directory() {
        return directory;
    }

    @Override
    public PendingArtifact create(String name) throws IOException {
        Path target = resolve(name);
        if (Files.exists(target)) {
            throw new IOException("artifact exists already: " + target);
        }
        return new LocalPendingArtifact(target, directory.resolve(name + PARTIAL_SUFFIX));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return Files.newInputStream(resolve(name));
    }

    @Override
    public void saveManifest(BackupManifest manifest) throws IOException {
        String name = manifest.id() + MANIFEST_SUFFIX;
        Path target = resolve(name);
        Path partial = directory.resolve(name + PARTIAL_SUFFIX);
        try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), OwnerOnly.file())) {
            OutputStream out = Channels.newOutputStream(channel);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(new NonClosing(out), manifest);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        moveAtomically(partial, target);
    }

    @Override
    public List<BackupManifest> manifests() throws IOException {
        List<BackupManifest> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + MANIFEST_SUFFIX)) {
            for (Path file : files) {
                try {
                    found.add(Json.MAPPER.readValue(file.toFile(), BackupManifest.class));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Skipping unreadable backup manifest {}: {}", file, e.toString());
                }
            }
        }
        return found;
    }

    @Override
    public List<String> artifactNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && !name.startsWith(".") && !name.endsWith(MANIFEST_SUFFIX)
                        && !name.endsWith(PARTIAL_SUFFIX)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    @Override
    public void delete(BackupManifest manifest) throws IOException {
        Files.deleteIfExists(resolve(manifest.id() + MANIFEST_SUFFIX));
        for (BackupArtifact artifact : manifest.artifacts()) {
            Files.deleteIfExists(resolve(artifact.name()));
        }
        syncDirectory();
    }

    @Override
    public int discardAbandoned(java.time.Duration idle) throws IOException {
        long cutoff = System.currentTimeMillis() - idle.toMillis();
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + PARTIAL_SUFFIX)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() < cutoff && Files.deleteIfExists(file)) {
                    LOG.warn("Removed {}: a partial backup file abandoned by a crashed writer", file);
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public OptionalDouble freeSpaceRatio() {
        try {
            var fileStore = Files.getFileStore(directory);
            long total = fileStore.getTotalSpace();
            return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) fileStore.getUsableSpace() / total);
        } catch (IOException e) {
            LOG.warn("Cannot read the free space of {}: {}", directory, e.toString());
            return OptionalDouble.empty();
        }
    }

    @Override
    public String describe() {
        return directory.toString();
    }

    @Override
    public String toString() {
        return "LocalDirectoryStore{" + directory + "}";
    }

    private Path resolve(String name) {
        Path path = directory.resolve(name).normalize();
        if (!directory.equals(path.getParent()) || name.endsWith(PARTIAL_SUFFIX)) {
            throw new IllegalArgumentException("artifact name must be a plain file name: '" + name + "'");
        }
        return path;
    }

    private void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(from);
            throw new IOException("the file system of " + directory + " cannot rename atomically", e);
        }
        syncDirectory();
    }

    /** Makes the rename itself durable (a directory fsync; a no-op where the platform cannot). */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            LOG.debug("Directory fsync not supported for {}: {}", directory, e.toString());
        }
    }

    private final class LocalPendingArtifact implements PendingArtifact {
        private final Path target;
        private final Path partial;
        private final FileChannel channel;
        private final OutputStream output;
        private boolean committed;

        LocalPendingArtifact(Path target, Path partial) throws IOException {
            this.target = target;
            this.partial = partial;
            this.channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    OwnerOnly.file());
            this.output = Channels.newOutputStream(channel);
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void commit() throws IOException {
            channel.force(true);
            channel.close();
            moveAtomically(partial, target);
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (!committed) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
        }
    }

    /** Keeps Jackson from closing the channel before it is forced. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
