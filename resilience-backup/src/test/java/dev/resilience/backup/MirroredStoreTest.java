package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both copies are written, and a read counts only when both are there and agree. */
class MirroredStoreTest {

    @TempDir Path dir;
    private Path primaryDir;
    private Path mirrorDir;
    private MirroredStore store;

    @BeforeEach
    void stores() throws IOException {
        primaryDir = Files.createDirectories(dir.resolve("primary"));
        mirrorDir = Files.createDirectories(dir.resolve("mirror"));
        store = MirroredStore.of(LocalDirectoryStore.of(primaryDir), LocalDirectoryStore.of(mirrorDir));
    }

    @Test
    void everyArtifactAndManifestIsWrittenToBothStores() throws IOException {
        BackupManifest manifest = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        write(store, "a.dump", "dump bytes");
        store.saveManifest(manifest);

        assertThat(Files.readString(primaryDir.resolve("a.dump"))).isEqualTo("dump bytes");
        assertThat(Files.readString(mirrorDir.resolve("a.dump"))).isEqualTo("dump bytes");
        assertThat(LocalDirectoryStore.of(mirrorDir).manifests()).containsExactly(manifest);
        assertThat(store.manifests()).containsExactly(manifest);
    }

    @Test
    void aMissingMirrorCopyFailsTheReadAsMissing() throws IOException {
        write(store, "a.dump", "dump bytes");
        Files.delete(mirrorDir.resolve("a.dump"));

        assertThatThrownBy(() -> readAll(store, "a.dump")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aMirrorCopyThatDiffersFailsTheReadAsCorrupt() throws IOException {
        write(store, "a.dump", "dump bytes");
        Files.writeString(mirrorDir.resolve("a.dump"), "dump bytez");

        assertThatThrownBy(() -> readAll(store, "a.dump")).isInstanceOf(CorruptArtifactException.class)
                .hasMessageContaining("a.dump").hasMessageContaining(mirrorDir.toString());
    }

    @Test
    void aMirrorThatCannotCommitLeavesNothingInThePrimary() throws IOException {
        MirroredStore failing = MirroredStore.of(LocalDirectoryStore.of(primaryDir), new FailingCommitStore());

        assertThatThrownBy(() -> write(failing, "a.dump", "dump bytes")).isInstanceOf(IOException.class)
                .hasMessageContaining("mirror unreachable");
        try (var files = Files.list(primaryDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void pruningDeletesBothCopies() throws IOException {
        BackupManifest manifest = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        write(store, manifest.artifacts().get(0).name(), "dump bytes");
        store.saveManifest(manifest);

        store.delete(manifest);

        try (var primary = Files.list(primaryDir); var mirror = Files.list(mirrorDir)) {
            assertThat(primary).isEmpty();
            assertThat(mirror).isEmpty();
        }
    }

    @Test
    void oneStoreCannotMirrorItself() {
        LocalDirectoryStore same = LocalDirectoryStore.of(primaryDir);
        assertThatThrownBy(() -> MirroredStore.of(same, same)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two different stores");
        assertThatThrownBy(() -> MirroredStore.of(same, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mirror");
    }

    private static void write(BackupStore store, String name, String content) throws IOException {
        try (BackupStore.PendingArtifact pending = store.create(name)) {
            pending.output().write(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            pending.commit();
        }
    }

    private static byte[] readAll(BackupStore store, String name) throws IOException {
        try (InputStream in = store.open(name)) {
            return in.readAllBytes();
        }
    }

    /** A mirror whose uploads never complete. */
    private static final class FailingCommitStore implements BackupStore {
        @Override
        public PendingArtifact create(String name) {
            return new PendingArtifact() {
                @Override
                public OutputStream output() {
                    return OutputStream.nullOutputStream();
                }

                @Override
                public void commit() throws IOException {
                    throw new IOException("mirror unreachable");
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public InputStream open(String name) throws IOException {
            throw new NoSuchFileException(name);
        }

        @Override
        public void saveManifest(BackupManifest manifest) throws IOException {
            throw new IOException("mirror unreachable");
        }

        @Override
        public List<BackupManifest> manifests() {
            return List.of();
        }

        @Override
        public void delete(BackupManifest manifest) {
        }

        @Override
        public OptionalDouble freeSpaceRatio() {
            return OptionalDouble.empty();
        }

        @Override
        public String describe() {
            return "failing mirror";
        }
    }
}
