package dev.resilience.backup.s3;

import dev.resilience.backup.BackupArtifact;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupStore;
import dev.resilience.backup.CorruptArtifactException;
import dev.resilience.backup.internal.CheckedAtEndInputStream;
import dev.resilience.backup.internal.DigestingOutputStream;
import dev.resilience.backup.internal.Json;
import dev.resilience.core.internal.Arguments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import org.jspecify.annotations.Nullable;

/**
 * Backups in an S3-compatible object store (AWS S3, MinIO, Ceph, R2, ...), for an off-site copy.
 *
 * <pre>{@code
 * S3Client s3 = S3Client.builder().region(Region.EU_CENTRAL_1).build();   // credentials: the SDK's default chain
 * BackupStore store = S3BackupStore.builder()
 *         .client(s3).bucket("acme-backups").prefix("orders/")
 *         .serverSideEncryption(ServerSideEncryption.AES256)             // optional, on top of the library's own encryption
 *         .build();
 * }</pre>
 *
 * <p>Layout under {@code prefix}: {@code <name>} per artifact, {@code <name>.sha256} beside it (the
 * SHA-256 of its bytes, written before the artifact becomes visible), {@code <id>.manifest.json} per
 * backup. Only the direct children of the prefix belong to the store, so several stores (one per
 * database or server) can share a bucket under different prefixes.
 *
 * <p>The store's contract holds as on a local disk:
 * <ul>
 *   <li>An artifact streams up in parts of {@code partSize} (default 8 MiB) through a multipart upload;
 *       memory stays at one part whatever the size of the dump. It becomes visible only when
 *       {@link PendingArtifact#commit()} completes the upload (S3 makes a completed object visible
 *       atomically); closing without a commit aborts the upload, and {@link #discardAbandoned} aborts
 *       uploads a crashed writer left behind. An artifact smaller than one part goes up in one PUT.</li>
 *   <li>Every read through {@link #open} is checked: when the stream reaches its end, the SHA-256 of the
 *       bytes read must match the one stored at upload, or the read fails with an {@link IOException}
 *       that says so. (The backup's own verification checks the manifest's checksum on top.)</li>
 *   <li>Manifests are single PUTs, atomic in S3.</li>
 * </ul>
 *
 * <p>Errors of the SDK reach the caller as {@link IOException}s naming the operation and the
 * {@code s3://bucket/key}; credentials never appear in them. {@link #freeSpaceRatio()} is empty (an
 * object store has no free-space fraction), so the disk-space rule does not apply. Thread-safe (the
 * {@link S3Client} is; a pending artifact is used by one thread).
 */
public final class S3BackupStore implements BackupStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3BackupStore.class);
    /** S3 refuses parts under 5 MiB (all but the last) and over 5 GiB. */
    static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    static final String MANIFEST_SUFFIX = ".manifest.json";
    static final String CHECKSUM_SUFFIX = ".sha256";

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final @Nullable ServerSideEncryption serverSideEncryption;
    private final @Nullable String kmsKeyId;
    private final Clock clock;

    private S3BackupStore(Builder builder, S3Client client, String bucket) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = builder.prefix;
        this.partSize = builder.partSize;
        this.serverSideEncryption = builder.serverSideEncryption;
        this.kmsKeyId = builder.kmsKeyId;
        this.clock = builder.clock;
    }

    /**
     * The effective settings, defaults included. The credentials live in the {@link S3Client} and are never
     * shown; a KMS key id names a key, it is not one.
     *
     * @return the settings this store was built with
     */
    public Config config() {
        return new Config(bucket, prefix, partSize,
                serverSideEncryption == null ? "none" : serverSideEncryption.toString(), Optional.ofNullable(kmsKeyId));
    }

    /**
     * The effective settings of an {@link S3BackupStore}; see {@link Builder} for what each means. No credential.
     *
     * @param bucket               the bucket
     * @param prefix               the key prefix, ending in {@code /} unless empty (default empty: the bucket's root)
     * @param partSizeBytes        the multipart upload part size in bytes (default 8 MiB), also the memory one upload holds
     * @param serverSideEncryption the server-side encryption asked for ({@code AES256}, {@code aws:kms}), or
     *                             {@code none} for the bucket's default (the default)
     * @param kmsKeyId             the KMS key id with {@code aws:kms}; empty for the account's default key
     */
    public record Config(String bucket, String prefix, int partSizeBytes, String serverSideEncryption,
                         Optional<String> kmsKeyId) {
    }

    /**
     * A builder; {@link Builder#client}, {@link Builder#bucket} are required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bucket.
     *
     * @return the bucket name
     */
    public String bucket() {
        return bucket;
    }

    /**
     * The key prefix ({@code ""} or ending in {@code /}).
     *
     * @return the prefix
     */
    public String prefix() {
        return prefix;
    }

    @Override
    public PendingArtifact create(String name) throws IOException {
        String key = key(name);
        if (exists(key)) {
            throw new IOException("artifact exists already: " + location(key));
        }
        return new S3PendingArtifact(key);
    }

    @Override
    public InputStream open(String name) throws IOException {
        String key = key(name);
        String expected;
        try {
            expected = new String(client.getObjectAsBytes(b -> b.bucket(bucket).key(key + CHECKSUM_SUFFIX)).asByteArray(),
                    StandardCharsets.US_ASCII).strip();
        } catch (SdkException e) {
            throw isNotFound(e) ? missing(key, e) : failure("read checksum of", key, e);
        }
        try {
            return new CheckedInputStream(client.getObject(b -> b.bucket(bucket).key(key)), expected, location(key));
        } catch (SdkException e) {
            throw isNotFound(e) ? missing(key, e) : failure("download", key, e);
        }
    }

    private NoSuchFileException missing(String key, SdkException cause) {
        NoSuchFileException missing = new NoSuchFileException(location(key), null, "no such artifact, or its checksum "
                + CHECKSUM_SUFFIX + " is missing (not written by this store, or its upload never completed)");
        missing.initCause(cause);
        return missing;
    }

    @Override
    public void saveManifest(BackupManifest manifest) throws IOException {
        String key = key(manifest.id() + MANIFEST_SUFFIX);
        byte[] json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        put(key, json, json.length, "application/json");
    }

    @Override
    public List<BackupManifest> manifests() throws IOException {
        List<BackupManifest> found = new ArrayList<>();
        for (S3Object object : children()) {
            if (!object.key().endsWith(MANIFEST_SUFFIX)) {
                continue;
            }
            byte[] json;
            try {
                json = client.getObjectAsBytes(b -> b.bucket(bucket).key(object.key())).asByteArray();
            } catch (SdkException e) {
                if (isNotFound(e)) {
                    continue;   // deleted since the listing
                }
                throw failure("download", object.key(), e);
            }
            try {
                found.add(Json.MAPPER.readValue(json, BackupManifest.class));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Skipping unreadable backup manifest {}: {}", location(object.key()), e.toString());
            }
        }
        return found;
    }

    /** Every committed artifact under the prefix (not manifests, not checksum files, not unfinished uploads). */
    @Override
    public List<String> artifactNames() throws IOException {
        List<String> names = new ArrayList<>();
        for (S3Object object : children()) {
            String name = object.key().substring(prefix.length());
            if (!name.endsWith(MANIFEST_SUFFIX) && !name.endsWith(CHECKSUM_SUFFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    @Override
    public void delete(BackupManifest manifest) throws IOException {
        deleteObject(key(manifest.id() + MANIFEST_SUFFIX));
        for (BackupArtifact artifact : manifest.artifacts()) {
            String key = key(artifact.name());
            deleteObject(key);
            deleteObject(key + CHECKSUM_SUFFIX);
        }
    }

    /**
     * Aborts multipart uploads under the prefix started more than {@code idle} ago (a writer that
     * crashed mid-backup), and removes checksum files older than {@code idle} whose artifact never
     * appeared. Pick {@code idle} longer than your longest backup: a multipart upload's age is counted
     * from its start, not its last part.
     */
    @Override
    public int discardAbandoned(Duration idle) throws IOException {
        Instant cutoff = clock.instant().minus(idle);
        int removed = 0;
        try {
            for (MultipartUpload upload : client.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads()) {
                if (isChild(upload.key()) && upload.initiated().isBefore(cutoff)) {
                    client.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    LOG.warn("Aborted the upload of {}: a partial backup abandoned by a crashed writer", location(upload.key()));
                    removed++;
                }
            }
        } catch (SdkException e) {
            throw failure("list or abort uploads under", prefix, e);
        }
        List<S3Object> children = children();
        Set<String> keys = new HashSet<>();
        children.forEach(object -> keys.add(object.key()));
        for (S3Object object : children) {
            String key = object.key();
            if (key.endsWith(CHECKSUM_SUFFIX) && object.lastModified().isBefore(cutoff)
                    && !keys.contains(key.substring(0, key.length() - CHECKSUM_SUFFIX.length()))) {
                deleteObject(key);
                removed++;
            }
        }
        return removed;
    }

    /** Always empty: an object store has no free-space fraction. */
    @Override
    public OptionalDouble freeSpaceRatio() {
        return OptionalDouble.empty();
    }

    /** {@code s3://bucket/prefix}. */
    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public String toString() {
        return "S3BackupStore{" + describe() + "}";
    }

    private List<S3Object> children() throws IOException {
        List<S3Object> children = new ArrayList<>();
        try {
            // the delimiter keeps other stores' prefixes below this one out of the listing
            for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).contents()) {
                children.add(object);
            }
        } catch (SdkException e) {
            throw failure("list", prefix, e);
        }
        return children;
    }

    private boolean isChild(String key) {
        return key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0;
    }

    private boolean exists(String key) throws IOException {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw failure("look up", key, e);
        }
    }

    private void put(String key, byte[] bytes, int length, String contentType) throws IOException {
        try {
            client.putObject(encrypted(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)).build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, contentType));
        } catch (SdkException e) {
            throw failure("upload", key, e);
        }
    }

    private void deleteObject(String key) throws IOException {
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (!isNotFound(e)) {
                throw failure("delete", key, e);
            }
        }
    }

    private PutObjectRequest.Builder encrypted(PutObjectRequest.Builder request) {
        return serverSideEncryption == null ? request : request.serverSideEncryption(serverSideEncryption).ssekmsKeyId(kmsKeyId);
    }

    private CreateMultipartUploadRequest.Builder encrypted(CreateMultipartUploadRequest.Builder request) {
        return serverSideEncryption == null ? request : request.serverSideEncryption(serverSideEncryption).ssekmsKeyId(kmsKeyId);
    }

    private String key(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..")
                || name.endsWith(CHECKSUM_SUFFIX) || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("artifact name must be a plain file name: '" + name + "'");
        }
        return prefix + name;
    }

    private String location(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private IOException failure(String operation, String key, SdkException e) {
        return new IOException("S3 " + operation + " " + location(key) + " failed: " + e.getMessage(), e);
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    /** Streams an artifact up part by part; see the contract on {@link BackupStore}. */
    private final class S3PendingArtifact implements PendingArtifact {
        private final String key;
        private final byte[] buffer = new byte[partSize];
        private final MessageDigest digest = DigestingOutputStream.sha256();
        private final List<CompletedPart> parts = new ArrayList<>();
        private final OutputStream output = new PartOutputStream();
        private int filled;
        private @Nullable String uploadId;
        private boolean committed;
        private boolean checksumWritten;

        S3PendingArtifact(String key) {
            this.key = key;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void commit() throws IOException {
            String sha256 = HexFormat.of().formatHex(digest.digest());
            // the checksum goes first: a visible artifact always has one
            byte[] checksum = sha256.getBytes(StandardCharsets.US_ASCII);
            put(key + CHECKSUM_SUFFIX, checksum, checksum.length, "text/plain");
            checksumWritten = true;
            if (uploadId == null) {
                put(key, buffer, filled, "application/octet-stream");
            } else {
                if (filled > 0) {
                    uploadPart();
                }
                String upload = uploadId;
                try {
                    client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload)
                            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
                } catch (SdkException e) {
                    throw failure("complete the upload of", key, e);
                }
            }
            committed = true;
        }

        @Override
        public void close() throws IOException {
            if (committed) {
                return;
            }
            try {
                String upload = uploadId;
                if (upload != null) {
                    client.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
                }
                if (checksumWritten) {
                    deleteObject(key + CHECKSUM_SUFFIX);
                }
            } catch (SdkException e) {
                throw failure("abort the upload of", key, e);
            }
        }

        private void uploadPart() throws IOException {
            try {
                String upload = uploadId;
                if (upload == null) {
                    upload = client.createMultipartUpload(encrypted(CreateMultipartUploadRequest.builder()
                            .bucket(bucket).key(key).contentType("application/octet-stream")).build()).uploadId();
                    uploadId = upload;
                }
                String current = upload;
                int partNumber = parts.size() + 1;
                int length = filled;
                // the part is read straight from the buffer: no copy, so memory stays at one part
                String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(current).partNumber(partNumber),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                throw failure("upload a part of", key, e);
            }
        }

        private final class PartOutputStream extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                Objects.checkFromIndexSize(offset, length, bytes.length);
                if (committed) {
                    throw new IOException("artifact " + location(key) + " is committed already");
                }
                digest.update(bytes, offset, length);
                while (length > 0) {
                    int chunk = Math.min(length, buffer.length - filled);
                    System.arraycopy(bytes, offset, buffer, filled, chunk);
                    filled += chunk;
                    offset += chunk;
                    length -= chunk;
                    if (filled == buffer.length) {
                        uploadPart();
                    }
                }
            }
        }
    }

    /** Checks the SHA-256 of what was read against the stored one when the stream reaches its end. */
    private static final class CheckedInputStream extends CheckedAtEndInputStream {
        private final String expected;
        private final String location;

        CheckedInputStream(InputStream in, String expected, String location) {
            super(in);
            this.expected = expected;
            this.location = location;
        }

        @Override
        protected void atEnd(byte[] sha256) throws IOException {
            String actual = HexFormat.of().formatHex(sha256);
            if (!actual.equals(expected)) {
                throw new CorruptArtifactException("checksum mismatch downloading " + location + ": stored SHA-256 "
                        + expected + ", downloaded bytes hash to " + actual);
            }
        }
    }

    /** Builds an {@link S3BackupStore}. Not thread-safe. */
    public static final class Builder {
        private @Nullable S3Client client;
        private @Nullable String bucket;
        private String prefix = "";
        private int partSize = 8 * 1024 * 1024;
        private @Nullable ServerSideEncryption serverSideEncryption;
        private @Nullable String kmsKeyId;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The SDK client (region, endpoint, credentials and retries are configured on it). Required.
         *
         * @param client the client; closed by its owner, not by the store
         * @return this builder
         */
        public Builder client(S3Client client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The bucket; it must exist. Required.
         *
         * @param bucket an existing bucket's name
         * @return this builder
         */
        public Builder bucket(String bucket) {
            this.bucket = Arguments.notBlank("bucket", bucket);
            return this;
        }

        /**
         * The key prefix the store owns, e.g. {@code "orders/"}; a missing trailing {@code /} is added.
         * Default: the bucket's root.
         *
         * @param prefix the prefix, not starting with {@code /}
         * @return this builder
         */
        public Builder prefix(String prefix) {
            this.prefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /**
         * Bytes per part of a multipart upload, and so the memory one upload holds: 5 MiB to 5 GiB, default 8 MiB.
         *
         * @param bytes the part size in bytes
         * @return this builder
         */
        public Builder partSize(long bytes) {
            if (bytes < MIN_PART_SIZE || bytes > Math.min(MAX_PART_SIZE, Integer.MAX_VALUE - 8)) {
                throw new IllegalArgumentException("partSize must be between 5 MiB (S3's minimum part) and 2 GiB, was " + bytes);
            }
            this.partSize = (int) bytes;
            return this;
        }

        /**
         * Server-side encryption of every object, e.g. {@code AES256} (SSE-S3) or {@code AWS_KMS}. Default: the bucket's setting.
         *
         * @param serverSideEncryption the encryption S3 applies
         * @return this builder
         */
        public Builder serverSideEncryption(ServerSideEncryption serverSideEncryption) {
            this.serverSideEncryption = Objects.requireNonNull(serverSideEncryption, "serverSideEncryption");
            return this;
        }

        /**
         * The KMS key for {@code AWS_KMS} server-side encryption. Default: the account's S3 key.
         *
         * @param kmsKeyId the key's id, ARN or alias
         * @return this builder
         */
        public Builder kmsKeyId(String kmsKeyId) {
            this.kmsKeyId = Objects.requireNonNull(kmsKeyId, "kmsKeyId");
            return this;
        }

        /**
         * The clock {@link #discardAbandoned} measures age with. Default: the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The store. Nothing is sent to S3 here.
         *
         * @return the store, thread-safe
         * @throws IllegalArgumentException when the client or bucket is missing, or the prefix starts with {@code /}
         */
        public S3BackupStore build() {
            S3Client client = this.client;
            String bucket = this.bucket;
            if (client == null) {
                throw new IllegalArgumentException("client is missing: give an S3Client (S3Client.builder()...build())");
            }
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("bucket is missing");
            }
            if (prefix == null) {
                throw new IllegalArgumentException("prefix must not be null (use \"\" for the bucket's root)");
            }
            if (prefix.startsWith("/")) {
                throw new IllegalArgumentException("prefix must not start with '/' (S3 keys have no leading slash), was '" + prefix + "'");
            }
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix = prefix + "/";
            }
            if (kmsKeyId != null && serverSideEncryption != ServerSideEncryption.AWS_KMS) {
                throw new IllegalArgumentException("kmsKeyId needs serverSideEncryption(AWS_KMS), was " + serverSideEncryption);
            }
            return new S3BackupStore(this, client, bucket);
        }
    }
}
