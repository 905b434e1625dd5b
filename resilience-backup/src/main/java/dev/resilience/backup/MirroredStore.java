package dev.resilience.backup;

import dev.resilience.backup.internal.CheckedAtEndInputStream;
import dev.resilience.backup.internal.DigestingOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Two copies of every backup, typically a local folder for fast restores and an object store off
 * site, where a backup counts only when both copies are there and agree:
 *
 * <pre>{@code
 * BackupStore store = MirroredStore.of(LocalDirectoryStore.of(Path.of("/var/backups/orders")),
 *         S3BackupStore.builder().client(s3).bucket("acme-backups").prefix("orders/").build());
 * }</pre>
 *
 * <ul>
 *   <li><b>Writing</b>: every byte goes to both stores as it streams; the mirror's copy is committed
 *       first, then the primary's, and each manifest is saved to the mirror first, so a backup in the
 *       primary's catalog has its copy in the mirror. A failure on either side fails the backup (the
 *       uncommitted side is discarded; a copy committed on the mirror before the primary failed stays
 *       as an orphan that {@code list} reports).</li>
 *   <li><b>Reading</b> (verify, restore, export): the primary's copy is read, and when it has been read
 *       to the end the mirror's copy is read too and both SHA-256 digests must agree. A mirror copy
 *       that is missing or different fails the read as corrupt, so verification marks the backup
 *       FAILED and it stops counting; a mirror that cannot be reached fails it as "could not check",
 *       which keeps its retention slot. To restore while one side is unreachable, give the restore the
 *       surviving store alone.</li>
 *   <li>The catalog ({@link #manifests()}) and the free space are the primary's; pruning deletes from
 *       both.</li>
 * </ul>
 *
 * <p>Thread-safe when both stores are.
 */
public final class MirroredStore implements BackupStore {

    private final BackupStore primary;
    private final BackupStore mirror;

    private MirroredStore(BackupStore primary, BackupStore mirror) {
        this.primary = primary;
        this.mirror = mirror;
    }

    /**
     * Mirrors {@code primary} (the catalog, read first) to {@code mirror}.
     *
     * @param primary the store read first, which holds the catalog
     * @param mirror  the copy every write goes to as well
     * @return the mirrored store
     * @throws IllegalArgumentException when either is null or both are the same store
     */
    public static MirroredStore of(BackupStore primary, BackupStore mirror) {
        if (primary == null || mirror == null) {
            throw new IllegalArgumentException("primary and mirror stores are both required, were " + primary + " and " + mirror);
        }
        if (primary == mirror) {
            throw new IllegalArgumentException("primary and mirror must be two different stores, both were " + primary.describe());
        }
        return new MirroredStore(primary, mirror);
    }

    @Override
    public PendingArtifact create(String name) throws IOException {
        PendingArtifact onMirror = mirror.create(name);
        try {
            return new MirroredArtifact(primary.create(name), onMirror);
        } catch (IOException | RuntimeException e) {
            onMirror.close();
            throw e;
        }
    }

    @Override
    public InputStream open(String name) throws IOException {
        return new ComparingInputStream(primary.open(name), name);
    }

    @Override
    public void saveManifest(BackupManifest manifest) throws IOException {
        mirror.saveManifest(manifest);
        primary.saveManifest(manifest);
    }

    @Override
    public List<BackupManifest> manifests() throws IOException {
        return primary.manifests();
    }

    /** The artifacts of either store, so that an orphan on either side is reported. */
    @Override
    public List<String> artifactNames() throws IOException {
        Set<String> names = new LinkedHashSet<>(primary.artifactNames());
        names.addAll(mirror.artifactNames());
        return List.copyOf(names);
    }

    @Override
    public void delete(BackupManifest manifest) throws IOException {
        primary.delete(manifest);
        mirror.delete(manifest);
    }

    @Override
    public int discardAbandoned(Duration idle) throws IOException {
        return primary.discardAbandoned(idle) + mirror.discardAbandoned(idle);
    }

    /** The primary's free space: the mirror is typically an object store without one. */
    @Override
    public OptionalDouble freeSpaceRatio() {
        return primary.freeSpaceRatio();
    }

    @Override
    public String describe() {
        return primary.describe() + " mirrored to " + mirror.describe();
    }

    @Override
    public String toString() {
        return "MirroredStore{" + describe() + "}";
    }

    /** Writes both copies; commits the mirror's first. */
    private static final class MirroredArtifact implements PendingArtifact {
        private final PendingArtifact onPrimary;
        private final PendingArtifact onMirror;
        private final OutputStream output;

        MirroredArtifact(PendingArtifact onPrimary, PendingArtifact onMirror) {
            this.onPrimary = onPrimary;
            this.onMirror = onMirror;
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    onPrimary.output().write(b);
                    onMirror.output().write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    onPrimary.output().write(bytes, offset, length);
                    onMirror.output().write(bytes, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    onPrimary.output().flush();
                    onMirror.output().flush();
                }
            };
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void commit() throws IOException {
            onMirror.commit();
            onPrimary.commit();
        }

        @Override
        public void close() throws IOException {
            try {
                onPrimary.close();
            } finally {
                onMirror.close();
            }
        }
    }

    /** The primary's bytes; at their end, the mirror's copy must hash the same. */
    private final class ComparingInputStream extends CheckedAtEndInputStream {
        private final String name;

        ComparingInputStream(InputStream in, String name) {
            super(in);
            this.name = name;
        }

        @Override
        protected void atEnd(byte[] primaryDigest) throws IOException {
            MessageDigest mirrorDigest = DigestingOutputStream.sha256();
            try (InputStream copy = mirror.open(name)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = copy.read(buffer)) >= 0; ) {
                    mirrorDigest.update(buffer, 0, n);
                }
            }
            if (!MessageDigest.isEqual(primaryDigest, mirrorDigest.digest())) {
                throw new CorruptArtifactException("the copy of " + name + " in " + mirror.describe()
                        + " differs from the one in " + primary.describe());
            }
        }
    }
}
