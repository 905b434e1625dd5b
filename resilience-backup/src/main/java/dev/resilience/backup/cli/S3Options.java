package dev.resilience.backup.cli;

import dev.resilience.backup.BackupStore;
import dev.resilience.backup.s3.S3BackupStore;
import java.util.Objects;
import java.net.URI;
import picocli.CommandLine.Option;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The S3 options every subcommand shares. Credentials come only from the AWS SDK's default chain
 * (environment variables, system properties, profile, container or instance role), never from an
 * option value, so no secret reaches the process list. Not thread-safe; one per command run.
 */
final class S3Options implements AutoCloseable {

    @Option(names = "--s3-bucket", paramLabel = "BUCKET",
            description = "Store backups in this existing S3 bucket (credentials from the AWS SDK's default chain, e.g. AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).")
    @Nullable String bucket;

    @Option(names = "--s3-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Key prefix in the bucket, e.g. orders/ (default: the bucket's root).")
    @SuppressWarnings("NullAway.Init") // picocli sets it before call(): it has a default or is required
    String prefix;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Endpoint of an S3-compatible server (default: AWS).")
    @Nullable URI endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "Region (default: the SDK's chain, e.g. AWS_REGION).")
    @Nullable String region;

    @Option(names = "--s3-path-style", description = "Path-style requests (bucket in the path), as most S3-compatible servers need.")
    boolean pathStyle;

    @Option(names = "--mirror-s3", description = "Keep the local folder (-s) and mirror every backup to S3; a backup counts only when both copies verify.")
    boolean mirror;

    private @Nullable S3Client client;

    /** True when a bucket was given. */
    boolean enabled() {
        return bucket != null;
    }

    /** Checks that S3-only options are not given without a bucket. */
    void validate() {
        if (bucket == null && (mirror || endpoint != null || region != null || pathStyle || !prefix.isEmpty())) {
            throw new IllegalArgumentException("--mirror-s3, --s3-prefix, --s3-endpoint, --s3-region and --s3-path-style need --s3-bucket");
        }
        if (bucket != null && bucket.isBlank()) {
            throw new IllegalArgumentException("--s3-bucket must not be blank");
        }
    }

    /** The S3 store under {@code <prefix><subfolder>} ({@code subfolder} "" or {@code <database>/}). */
    BackupStore store(String subfolder) {
        String base = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        String name = Objects.requireNonNull(bucket, "bucket: call store() only when bucket() is true");
        return S3BackupStore.builder().client(client()).bucket(name).prefix(base + subfolder).build();
    }

    private S3Client client() {
        if (client == null) {
            S3ClientBuilder builder = S3Client.builder().forcePathStyle(pathStyle);
            if (endpoint != null) {
                builder.endpointOverride(endpoint);
            }
            if (region != null) {
                builder.region(Region.of(region));
            }
            client = builder.build();
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
