package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.backup.s3.S3BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 store against a real S3 API server (S3Mock in a child process): the same contract as the
 * local store, plus streaming in parts, checksums checked on download, aborted uploads, prefixes that
 * keep databases apart, server-side encryption, and a whole backup, verify and restore through it.
 */
class S3BackupStoreIT extends BackupStoreContract {

    private static S3MockServer server;
    private static S3Client s3;
    private static final String BUCKET = "resilience-backups";
    private final PgFixture pg = new PgFixture();

    @BeforeAll
    static void startServer() {
        server = S3MockServer.shared();
        s3 = server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close(); // the server is shared with the module's other S3 ITs and stops with the JVM
    }

    @AfterEach
    void dropDatabases() throws Exception {
        pg.close();
    }

    @Override
    BackupStore store() {
        return storeUnder("t-" + UUID.randomUUID() + "/");
    }

    private static S3BackupStore storeUnder(String prefix) {
        return S3BackupStore.builder().client(s3).bucket(BUCKET).prefix(prefix).partSize(5 * 1024 * 1024).build();
    }

    @Override
    void writeRawManifest(BackupStore store, String id, String content) {
        S3BackupStore s3Store = (S3BackupStore) store;
        s3.putObject(b -> b.bucket(BUCKET).key(s3Store.prefix() + id + ".manifest.json"), RequestBody.fromString(content));
    }

    @Test
    void anArtifactStreamsUpInPartsBeforeItIsCommitted() throws IOException {
        S3BackupStore store = (S3BackupStore) store();

        try (BackupStore.PendingArtifact pending = store.create("streamed.dump")) {
            pending.output().write(randomBytes(11 * 1024 * 1024, 4));

            // two full 5 MiB parts are on the server already; the process holds only the third
            var upload = s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.prefix())).uploads();
            assertThat(upload).hasSize(1);
            assertThat(s3.listParts(b -> b.bucket(BUCKET).key(upload.get(0).key()).uploadId(upload.get(0).uploadId())).parts())
                    .hasSize(2);
            pending.commit();
        }

        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.prefix())).uploads()).isEmpty();
    }

    @Test
    void anUncommittedArtifactAbortsItsUpload() throws IOException {
        S3BackupStore store = (S3BackupStore) store();

        try (BackupStore.PendingArtifact pending = store.create("aborted.dump")) {
            pending.output().write(randomBytes(6 * 1024 * 1024, 5));
        }

        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.prefix())).uploads()).isEmpty();
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(store.prefix())).contents()).isEmpty();
    }

    @Test
    void aDownloadWhoseBytesChangedInTheBucketFailsWithAChecksumMismatch() throws IOException {
        S3BackupStore store = (S3BackupStore) store();
        try (BackupStore.PendingArtifact pending = store.create("tampered.dump")) {
            pending.output().write("the real dump".getBytes(StandardCharsets.UTF_8));
            pending.commit();
        }
        s3.putObject(b -> b.bucket(BUCKET).key(store.prefix() + "tampered.dump"), RequestBody.fromString("the real dumq"));

        assertThatThrownBy(() -> {
            try (InputStream in = store.open("tampered.dump")) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("checksum mismatch")
                .hasMessageContaining("s3://" + BUCKET + "/" + store.prefix() + "tampered.dump");
    }

    @Test
    void anUploadAbandonedByACrashedWriterIsAbortedOnceIdleLongEnough() throws IOException {
        S3BackupStore store = (S3BackupStore) store();
        // a writer that died mid-upload: parts on the server, never completed nor aborted
        String key = store.prefix() + "crashed.dump";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        s3.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1), RequestBody.fromBytes(new byte[1024]));

        assertThat(store.discardAbandoned(Duration.ofHours(1))).isZero();
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.prefix())).uploads()).hasSize(1);

        S3BackupStore later = S3BackupStore.builder().client(s3).bucket(BUCKET).prefix(store.prefix())
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(2))).build();
        assertThat(later.discardAbandoned(Duration.ofHours(1))).isEqualTo(1);
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(store.prefix())).uploads()).isEmpty();
    }

    @Test
    void storesUnderDifferentPrefixesOfOneBucketKeepTheirCatalogsApart() throws IOException {
        String base = "shared-" + UUID.randomUUID() + "/";
        S3BackupStore orders = storeUnder(base + "orders/");
        S3BackupStore billing = storeUnder(base + "billing/");
        S3BackupStore parent = storeUnder(base);
        BackupManifest ordersBackup = Manifests.at(Instant.parse("2026-03-01T02:00:00Z"));
        BackupManifest billingBackup = Manifests.at(Instant.parse("2026-03-02T02:00:00Z"));

        orders.saveManifest(ordersBackup);
        billing.saveManifest(billingBackup);

        assertThat(orders.manifests()).containsExactly(ordersBackup);
        assertThat(billing.manifests()).containsExactly(billingBackup);
        assertThat(parent.manifests()).isEmpty();
    }

    @Test
    void serverSideEncryptionIsRequestedForSmallAndMultipartObjects() throws IOException {
        // the server accepts only its one KMS key, so an upload proves the header went with it
        S3BackupStore valid = kmsStore(S3MockServer.VALID_KMS_KEY_ID);
        S3BackupStore unknownKey = kmsStore("no-such-key");

        for (byte[] bytes : new byte[][] {{1, 2, 3}, randomBytes(6 * 1024 * 1024, 6)}) {
            String name = "sse-" + bytes.length + ".dump";
            try (BackupStore.PendingArtifact pending = valid.create(name)) {
                pending.output().write(bytes);
                pending.commit();
            }
            try (InputStream in = valid.open(name)) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
            assertThatThrownBy(() -> {
                try (BackupStore.PendingArtifact pending = unknownKey.create(name)) {
                    pending.output().write(bytes);
                    pending.commit();
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("Invalid keyId");
        }
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix(unknownKey.prefix())).uploads()).isEmpty();
    }

    private static S3BackupStore kmsStore(String keyId) {
        return S3BackupStore.builder().client(s3).bucket(BUCKET).prefix("sse-" + UUID.randomUUID())
                .partSize(5 * 1024 * 1024).serverSideEncryption(ServerSideEncryption.AWS_KMS).kmsKeyId(keyId).build();
    }

    @Test
    void aWholeBackupVerifyAndRestoreRunThroughS3(@TempDir Path work) throws Exception {
        String source = pg.createSampleDatabase("s3");
        String target = pg.newName("s3_target");
        S3BackupStore store = (S3BackupStore) store();
        PostgresBackup backup = PgFixture.builder(source, work).store(store).build();

        BackupManifest manifest = backup.backup();
        BackupManifest verified = backup.verify(manifest.id());
        backup.restore(manifest.id(), target, false);

        assertThat(verified.verification().status()).isEqualTo(VerificationStatus.PASSED);
        assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(source, "orders")).startsWith("500:");
        assertThat(backup.list()).extracting(BackupManifest::id).containsExactly(manifest.id());
        assertThat(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(store.prefix())).contents())
                .extracting(object -> object.key().substring(store.prefix().length()))
                .contains(manifest.id() + ".manifest.json", manifest.artifacts().get(0).name(),
                        manifest.artifacts().get(0).name() + ".sha256");
    }

    @Test
    void aBackupMirroredToS3CountsOnlyWhileBothCopiesVerify(@TempDir Path work) throws Exception {
        String source = pg.createSampleDatabase("mirror");
        S3BackupStore remote = (S3BackupStore) store();
        BackupStore store = MirroredStore.of(LocalDirectoryStore.of(work.resolve("local")), remote);
        PostgresBackup backup = PgFixture.builder(source, work).store(store).build();

        BackupManifest manifest = backup.backup();
        assertThat(backup.verify(manifest.id()).verification().status()).isEqualTo(VerificationStatus.PASSED);

        // the off-site copy is lost: the backup no longer counts
        String dump = manifest.artifacts().get(0).name();
        s3.deleteObject(b -> b.bucket(BUCKET).key(remote.prefix() + dump));
        assertThatThrownBy(() -> backup.verify(manifest.id())).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining(dump);

        assertThat(backup.find(manifest.id()).verification().status()).isEqualTo(VerificationStatus.FAILED);
    }

    @Test
    void aDumpDamagedInTheBucketIsProvedCorruptNotInconclusive(@TempDir Path work) throws Exception {
        String source = pg.createSampleDatabase("s3damaged");
        S3BackupStore store = (S3BackupStore) store();
        PostgresBackup backup = PgFixture.builder(source, work).store(store).build();
        BackupManifest manifest = backup.backup();
        String key = store.prefix() + manifest.artifacts().get(0).name();
        byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        bytes[bytes.length / 2] ^= 1;
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(bytes));

        assertThatThrownBy(() -> backup.verify(manifest.id())).isInstanceOf(BackupVerificationException.class)
                .hasMessageContaining("damaged in the store");
        assertThat(backup.find(manifest.id()).verification().status()).isEqualTo(VerificationStatus.FAILED);
    }
}
