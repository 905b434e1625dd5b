package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.backup.s3.S3BackupStore;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The builder names what is wrong; building sends nothing to S3. */
class S3BackupStoreBuilderTest {

    private final S3Client client = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
            .credentialsProvider(AnonymousCredentialsProvider.create()).build();

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aMissingClientOrBucketIsNamed() {
        assertThatThrownBy(() -> S3BackupStore.builder().bucket("b").build()).hasMessageContaining("client is missing");
        assertThatThrownBy(() -> S3BackupStore.builder().client(client).build()).hasMessageContaining("bucket is missing");
    }

    @Test
    void aPartUnderS3sMinimumIsRefused() {
        assertThatThrownBy(() -> S3BackupStore.builder().partSize(1024 * 1024))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partSize").hasMessageContaining("1048576");
    }

    @Test
    void aPrefixGetsItsTrailingSlashAndALeadingSlashIsRefused() {
        assertThat(S3BackupStore.builder().client(client).bucket("b").prefix("orders").build().describe())
                .isEqualTo("s3://b/orders/");
        assertThatThrownBy(() -> S3BackupStore.builder().client(client).bucket("b").prefix("/orders").build())
                .hasMessageContaining("prefix must not start with '/'");
    }

    @Test
    void aKmsKeyNeedsKmsEncryption() {
        assertThatThrownBy(() -> S3BackupStore.builder().client(client).bucket("b")
                .serverSideEncryption(ServerSideEncryption.AES256).kmsKeyId("key").build())
                .hasMessageContaining("kmsKeyId needs serverSideEncryption(AWS_KMS)");
    }

    @Test
    void anObjectStoreReportsNoFreeSpaceFraction() {
        assertThat(S3BackupStore.builder().client(client).bucket("b").build().freeSpaceRatio()).isEmpty();
    }
}
