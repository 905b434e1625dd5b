package dev.resilience.backup.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A private scratch folder (mode 0700) for the temporary {@code PGPASSFILE}, the tools' standard error
 * and directory-format dumps: {@code <parent>/.resilience-work/<pid>-<process start>}. A JVM killed
 * mid-backup leaves its folder behind; the next process that opens a work folder in the same parent
 * removes every folder whose process is gone, so a password file never outlives its process for long.
 * Thread-safe.
 */
public final class WorkFolder {

    private static final Logger LOG = LoggerFactory.getLogger(WorkFolder.class);
    static final String NAME = ".resilience-work";

    private final Path path;

    private WorkFolder(Path path) {
        this.path = path;
    }

    /**
     * This process's work folder under {@code parent}, created when missing; folders of processes that
     * are no longer alive are removed first.
     *
     * @throws IOException when the folder cannot be created
     */
    public static WorkFolder in(Path parent) throws IOException {
        Path root = parent.resolve(NAME);
        OwnerOnly.createDirectories(root);
        OwnerOnly.restrictDirectory(root);
        String own = nameOf(ProcessHandle.current());
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (!name.equals(own) && !alive(name)) {
                    // a process that stopped cleanly leaves its folder empty: only files are worth a warning
                    if (isEmpty(folder)) {
                        LOG.debug("Removing {}: the empty work folder of a backup process that has ended", folder);
                    } else {
                        LOG.warn("Removing {}: files left behind by a backup process that is gone (killed mid-backup?)", folder);
                    }
                    deleteTree(folder);
                }
            }
        }
        Path path = root.resolve(own);
        OwnerOnly.createDirectories(path);
        OwnerOnly.restrictDirectory(path);
        return new WorkFolder(path);
    }

    public Path path() {
        return path;
    }

    /** A new empty file readable by its owner only. */
    public Path newFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(path, prefix, suffix, OwnerOnly.file());
    }

    /** A new empty folder accessible by its owner only. */
    public Path newDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(path, prefix, OwnerOnly.directory());
    }

    /** Deletes {@code root} and everything below it; failures are logged, never thrown. */
    public static void deleteTree(@Nullable Path root) {
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

    private static boolean isEmpty(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            return !entries.iterator().hasNext();
        }
    }

    private static String nameOf(ProcessHandle process) {
        Optional<java.time.Instant> started = process.info().startInstant();
        return process.pid() + "-" + started.map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    private static boolean alive(String folderName) {
        int dash = folderName.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? folderName : folderName.substring(0, dash));
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(WorkFolder::nameOf)
                    .filter(folderName::equals).isPresent();
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
