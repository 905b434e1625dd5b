package dev.resilience.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything known about one successful backup, stored as JSON next to it. The catalog is the set of
 * manifests ordered by {@link #startedAt()}; file names are never used for ordering. Immutable.
 *
 * @param id               unique id, also the stem of the backup's file names
 * @param database         the database dumped
 * @param serverVersion    the server's {@code server_version}
 * @param pgDumpVersion    the {@code pg_dump --version} output
 * @param startedAt        when the dump started
 * @param finishedAt       when the dump was stored
 * @param duration         how long it took
 * @param sizeBytes        the size of the dump artifact as stored
 * @param sha256           the SHA-256 of the dump artifact as stored
 * @param format           the archive format
 * @param compression      the compression actually used ({@link Compression#toString()})
 * @param encryptionKeyId  the id of the key the artifacts are encrypted with; null when not encrypted
 * @param tier             why retention keeps it (see {@link BackupTier}); as written when taken, relabelled by
 *                         {@link PostgresBackup#list()}
 * @param artifacts        every stored file of the backup, the dump first
 * @param warning          why the backup looks wrong (for example far smaller than the previous one); null when fine
 * @param verification     the latest verification
 * @param server           the server the database was dumped from ({@code host:port} as configured); null in
 *                         manifests written before it was recorded, which then match any server
 */
public record BackupManifest(String id, String database, String serverVersion, String pgDumpVersion,
                             Instant startedAt, Instant finishedAt, Duration duration, long sizeBytes,
                             String sha256, DumpFormat format, String compression, @Nullable String encryptionKeyId,
                             BackupTier tier, List<BackupArtifact> artifacts, @Nullable String warning,
                             Verification verification, @Nullable String server) {

    /**
     * Checks the required parts and copies the artifact list.
     *
     * @param id               unique id, also the stem of the backup's file names
     * @param database         the database dumped
     * @param serverVersion    the server's {@code server_version}
     * @param pgDumpVersion    the {@code pg_dump --version} output
     * @param startedAt        when the dump started
     * @param finishedAt       when the dump was stored
     * @param duration         how long it took
     * @param sizeBytes        the size of the dump artifact as stored
     * @param sha256           the SHA-256 of the dump artifact as stored
     * @param format           the archive format
     * @param compression      the compression actually used ({@link Compression#toString()})
     * @param encryptionKeyId  the id of the key the artifacts are encrypted with; null when not encrypted
     * @param tier             why retention keeps it (see {@link BackupTier}); as written when taken, relabelled by {@link PostgresBackup#list()}
     * @param artifacts        every stored file of the backup, the dump first
     * @param warning          why the backup looks wrong (for example far smaller than the previous one); null when fine
     * @param verification     the latest verification
     * @param server           the server the database was dumped from ({@code host:port} as configured); null in manifests written before it was recorded, which then match any server
     * @throws NullPointerException when id, startedAt or format is null
     */
    public BackupManifest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(format, "format");
        artifacts = List.copyOf(artifacts);
        verification = verification == null ? Verification.NONE : verification;
    }

    /**
     * A manifest without the server (as written before the server was recorded).
     *
     * @param id              unique id
     * @param database        the database dumped
     * @param serverVersion   the server's version
     * @param pgDumpVersion   the pg_dump version
     * @param startedAt       when the dump started
     * @param finishedAt      when the dump was stored
     * @param duration        how long it took
     * @param sizeBytes       the dump artifact's size
     * @param sha256          the dump artifact's SHA-256
     * @param format          the archive format
     * @param compression     the compression used
     * @param encryptionKeyId the key id, or null when not encrypted
     * @param tier            why retention keeps it
     * @param artifacts       every stored file, the dump first
     * @param warning         why it looks wrong, or null
     * @param verification    the latest verification
     */
    public BackupManifest(String id, String database, String serverVersion, String pgDumpVersion,
                          Instant startedAt, Instant finishedAt, Duration duration, long sizeBytes,
                          String sha256, DumpFormat format, String compression, @Nullable String encryptionKeyId,
                          BackupTier tier, List<BackupArtifact> artifacts, @Nullable String warning,
                          Verification verification) {
        this(id, database, serverVersion, pgDumpVersion, startedAt, finishedAt, duration, sizeBytes, sha256, format,
                compression, encryptionKeyId, tier, artifacts, warning, verification, null);
    }

    /**
     * True when this backup belongs to {@code database} on {@code server}: the catalog, retention,
     * verification and restore of one database never see another's backups in a shared store.
     *
     * @param database the database
     * @param server   {@code host:port}, as {@link PostgresBackup#server()} tells it
     * @return true when the database matches and the server matches or was not recorded
     */
    public boolean belongsTo(String database, @Nullable String server) {
        return Objects.equals(this.database, database) && (this.server == null || this.server.equals(server));
    }

    /**
     * The dump artifact.
     *
     * @return the first artifact, which is always the dump
     */
    public BackupArtifact dump() {
        return artifacts.stream().filter(a -> a.kind() == BackupArtifact.Kind.DUMP).findFirst()
                .orElseThrow(() -> new BackupException("manifest of backup " + id + " lists no dump artifact"));
    }

    /**
     * True when the artifacts are encrypted.
     *
     * @return true when an encryption key id is recorded
     */
    public boolean encrypted() {
        return encryptionKeyId != null;
    }

    /**
     * A copy with the given tier.
     *
     * @param label the new tier
     * @return a new manifest; this one is unchanged
     */
    public BackupManifest withTier(BackupTier label) {
        return new BackupManifest(id, database, serverVersion, pgDumpVersion, startedAt, finishedAt, duration,
                sizeBytes, sha256, format, compression, encryptionKeyId, label, artifacts, warning, verification, server);
    }

    /**
     * A copy with the given verification.
     *
     * @param latest the new verification
     * @return a new manifest; this one is unchanged
     */
    public BackupManifest withVerification(Verification latest) {
        return new BackupManifest(id, database, serverVersion, pgDumpVersion, startedAt, finishedAt, duration,
                sizeBytes, sha256, format, compression, encryptionKeyId, tier, artifacts, warning, latest, server);
    }
}
