package dev.resilience.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Where backups live: artifacts (opaque byte streams) and one manifest per backup. The orchestrator
 * computes sizes and checksums itself, so a store only moves bytes. {@link LocalDirectoryStore} ships
 * with the library; an object store can implement the same contract.
 *
 * <p>Contract: an artifact becomes visible only through {@link PendingArtifact#commit()}, which must be
 * durable and atomic (a crash leaves either nothing or the whole file); closing a pending artifact that
 * was not committed removes what was written. {@link #saveManifest} is atomic too. Implementations
 * must be thread-safe.
 */
public interface BackupStore {

    /**
     * Starts writing the artifact {@code name}.
     *
     * @param name the artifact's file name, a plain name without folders
     * @return the artifact being written; commit or close it
     * @throws IOException when it cannot be created, or an artifact of that name exists
     */
    PendingArtifact create(String name) throws IOException;

    /**
     * Opens a committed artifact for reading.
     *
     * @param name the artifact's file name
     * @return a stream of its bytes; the caller closes it
     * @throws java.nio.file.NoSuchFileException when it does not exist (verification then reports the
     *         backup corrupt)
     * @throws IOException when it cannot be read (verification then reports that it could not check)
     */
    InputStream open(String name) throws IOException;

    /**
     * Writes (or replaces) the manifest of {@code manifest.id()} atomically.
     *
     * @param manifest the manifest to store
     * @throws IOException when the store cannot be reached or written
     */
    void saveManifest(BackupManifest manifest) throws IOException;

    /**
     * Every manifest in the store, in no particular order. Unreadable manifests are skipped with a
     * warning in the log, never silently treated as backups.
     *
     * @return the readable manifests; empty for an empty store
     * @throws IOException when the store cannot be reached or written
     */
    List<BackupManifest> manifests() throws IOException;

    /**
     * Deletes a backup: its manifest first (so it leaves the catalog at once), then its artifacts.
     * Deleting a backup that is already gone is not an error (prune is idempotent).
     *
     * @param manifest the backup to delete, with the artifacts it lists
     * @throws IOException when the store cannot be reached or written
     */
    void delete(BackupManifest manifest) throws IOException;

    /**
     * Removes partial artifacts left by a crash of a writer (for example the JVM was killed while a
     * backup streamed) that have not been written to for {@code idle}. A live backup keeps writing,
     * so only abandoned ones go. The default does nothing, for stores whose uploads cannot be left
     * behind.
     *
     * @param idle how long a partial artifact must have been untouched
     * @return how many were removed
     * @throws IOException when the store cannot be reached or written
     */
    default int discardAbandoned(java.time.Duration idle) throws IOException {
        return 0;
    }

    /**
     * The names of every committed artifact in the store (not manifests, not partial files), so that
     * files no manifest lists can be reported. The default lists none, for stores that cannot enumerate.
     *
     * @return the artifact names; empty when the store cannot enumerate
     * @throws IOException when the store cannot be reached or written
     */
    default List<String> artifactNames() throws IOException {
        return List.of();
    }

    /**
     * The free fraction (0..1) of the space backups are written to, when the store knows it.
     *
     * @return the free fraction, or empty when unknown (object stores)
     */
    OptionalDouble freeSpaceRatio();

    /**
     * A short description for logs and health details, for example the directory.
     *
     * @return a description without credentials
     */
    String describe();

    /** An artifact being written; see the contract on {@link BackupStore}. Not thread-safe. */
    interface PendingArtifact extends AutoCloseable {

        /**
         * The stream to write the artifact's bytes to.
         *
         * @return the stream; do not close it, commit or close the artifact instead
         */
        OutputStream output();

        /**
         * Flushes the bytes to durable storage and makes the artifact visible under its name.
         *
         * @throws IOException when the bytes cannot be made durable or visible
         */
        void commit() throws IOException;

        /** Discards the artifact unless it was committed. */
        @Override
        void close() throws IOException;
    }
}
