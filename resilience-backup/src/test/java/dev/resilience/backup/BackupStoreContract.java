package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The {@link BackupStore} contract, run against every store the library ships (the local folder in
 * {@code LocalDirectoryStoreContractTest}, S3 in {@code S3BackupStoreIT}): an artifact is visible
 * only once committed and then whole, an uncommitted one leaves nothing, manifests round-trip and
 * unreadable ones are skipped, deletes are idempotent.
 */
abstract class BackupStoreContract {

    /** A new, empty store. */
    abstract BackupStore store() throws IOException;

    /** Puts a manifest file with {@code content} into {@code store} the way a damaged upload would. */
    abstract void writeRawManifest(BackupStore store, String id, String content) throws IOException;

    @Test
    void anArtifactIsReadableOnlyOnceCommittedAndThenWhole() throws IOException {
        BackupStore store = store();
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17, 1);

        try (BackupStore.PendingArtifact pending = store.create("a.dump")) {
            pending.output().write(bytes, 0, 1000);
            pending.output().write(bytes, 1000, bytes.length - 1000);
            assertThatThrownBy(() -> store.open("a.dump").close()).isInstanceOf(IOException.class);
            pending.commit();
        }

        try (InputStream in = store.open("a.dump")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void anArtifactLargerThanAnUploadPartRoundTrips() throws IOException {
        BackupStore store = store();
        byte[] bytes = randomBytes(12 * 1024 * 1024 + 5, 2);

        try (BackupStore.PendingArtifact pending = store.create("big.dump")) {
            for (int offset = 0; offset < bytes.length; offset += 65536) {
                pending.output().write(bytes, offset, Math.min(65536, bytes.length - offset));
            }
            pending.commit();
        }

        try (InputStream in = store.open("big.dump")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void anArtifactClosedWithoutCommitLeavesNothingAndTheNameStaysFree() throws IOException {
        BackupStore store = store();

        try (BackupStore.PendingArtifact pending = store.create("x.dump")) {
            pending.output().write(randomBytes(6 * 1024 * 1024, 3));
        }

        assertThatThrownBy(() -> store.open("x.dump").close()).isInstanceOf(IOException.class);
        try (BackupStore.PendingArtifact again = store.create("x.dump")) {
            again.output().write(new byte[] {7});
            again.commit();
        }
        try (InputStream in = store.open("x.dump")) {
            assertThat(in.readAllBytes()).containsExactly(7);
        }
    }

    @Test
    void creatingAnArtifactThatExistsFails() throws IOException {
        BackupStore store = store();
        try (BackupStore.PendingArtifact pending = store.create("once.dump")) {
            pending.output().write(new byte[] {1});
            pending.commit();
        }

        assertThatThrownBy(() -> store.create("once.dump")).isInstanceOf(IOException.class).hasMessageContaining("exists");
    }

    @Test
    void namesThatAreNotPlainFileNamesAreRefused() throws IOException {
        BackupStore store = store();

        assertThatThrownBy(() -> store.create("../escape.dump")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("sub/x.dump")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manifestsRoundTripAreReplacedBySavingAgainAndUnreadableOnesAreSkipped() throws IOException {
        BackupStore store = store();
        Instant start = Instant.parse("2026-03-01T02:00:00Z");
        BackupManifest first = Manifests.at(start);
        BackupManifest second = Manifests.at(start.plusSeconds(86_400));
        store.saveManifest(first);
        store.saveManifest(second);
        BackupManifest verified = second.withVerification(Manifests.passed(start.plusSeconds(90_000)));
        store.saveManifest(verified);
        writeRawManifest(store, "broken", "{not json");

        assertThat(store.manifests()).containsExactlyInAnyOrder(first, verified);
    }

    @Test
    void deleteRemovesTheManifestAndArtifactsAndDeletingTwiceIsNotAnError() throws IOException {
        BackupStore store = store();
        BackupManifest manifest = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        try (BackupStore.PendingArtifact pending = store.create(manifest.artifacts().get(0).name())) {
            pending.output().write(new byte[] {1, 2});
            pending.commit();
        }
        store.saveManifest(manifest);

        store.delete(manifest);
        store.delete(manifest);

        assertThat(store.manifests()).isEmpty();
        assertThatThrownBy(() -> store.open(manifest.artifacts().get(0).name()).close()).isInstanceOf(IOException.class);
    }

    @Test
    void artifactNamesListCommittedArtifactsOnlyNotManifestsOrUnfinishedUploads() throws IOException {
        BackupStore store = store();
        try (BackupStore.PendingArtifact pending = store.create("kept.dump")) {
            pending.output().write(new byte[] {1});
            pending.commit();
        }
        store.saveManifest(Manifests.at(Instant.parse("2026-03-01T02:00:00Z")));

        try (BackupStore.PendingArtifact unfinished = store.create("unfinished.dump")) {
            unfinished.output().write(randomBytes(6 * 1024 * 1024, 9));
            assertThat(store.artifactNames()).containsExactly("kept.dump");
        }
    }

    @Test
    void concurrentBackupsWriteDistinctArtifactsSafely() throws Exception {
        BackupStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] writes = new Future<?>[4];
            for (int i = 0; i < writes.length; i++) {
                int n = i;
                writes[i] = pool.submit((Callable<Void>) () -> {
                    try (BackupStore.PendingArtifact pending = store.create("c" + n + ".dump")) {
                        pending.output().write(randomBytes(200_000 + n, 10 + n));
                        pending.commit();
                    }
                    return null;
                });
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int n = 0; n < 4; n++) {
            try (InputStream in = store.open("c" + n + ".dump")) {
                assertThat(in.readAllBytes()).isEqualTo(randomBytes(200_000 + n, 10 + n));
            }
        }
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
