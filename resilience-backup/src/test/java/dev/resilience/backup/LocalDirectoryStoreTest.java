package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreTest {

    @Test
    void anArtifactIsVisibleOnlyAfterCommit(@TempDir Path dir) throws IOException {
        LocalDirectoryStore store = LocalDirectoryStore.of(dir);

        try (BackupStore.PendingArtifact pending = store.create("x.dump")) {
            pending.output().write(new byte[] {1, 2, 3});
            assertThat(dir.resolve("x.dump")).doesNotExist();
            assertThat(dir.resolve("x.dump.partial")).exists();
            pending.commit();
        }

        assertThat(dir.resolve("x.dump.partial")).doesNotExist();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("x.dump"))))
                .isEqualTo("rw-------");
        try (InputStream in = store.open("x.dump")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void anArtifactClosedWithoutCommitLeavesNothing(@TempDir Path dir) throws IOException {
        LocalDirectoryStore store = LocalDirectoryStore.of(dir);

        try (BackupStore.PendingArtifact pending = store.create("x.dump")) {
            pending.output().write(new byte[] {1, 2, 3});
        }

        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void manifestsRoundTripAndUnreadableOnesAreSkipped(@TempDir Path dir) throws IOException {
        LocalDirectoryStore store = LocalDirectoryStore.of(dir);
        BackupManifest manifest = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"), Manifests.passed(Instant.parse("2026-03-01T03:00:00Z")), 42);
        store.saveManifest(manifest);
        Files.writeString(dir.resolve("broken.manifest.json"), "{not json");

        assertThat(store.manifests()).containsExactly(manifest);
    }

    @Test
    void abandonedPartialsAreDiscardedAndLiveOnesKept(@TempDir Path dir) throws IOException {
        LocalDirectoryStore store = LocalDirectoryStore.of(dir);
        Path abandoned = Files.writeString(dir.resolve("old.dump.partial"), "x");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7 * 3600_000L));
        Path live = Files.writeString(dir.resolve("new.dump.partial"), "x");

        int removed = store.discardAbandoned(java.time.Duration.ofHours(6));

        assertThat(removed).isEqualTo(1);
        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
    }

    @Test
    void deletingTwiceIsNotAnError(@TempDir Path dir) throws IOException {
        LocalDirectoryStore store = LocalDirectoryStore.of(dir);
        BackupManifest manifest = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        store.saveManifest(manifest);

        store.delete(manifest);
        store.delete(manifest);

        assertThat(store.manifests()).isEmpty();
    }
}
