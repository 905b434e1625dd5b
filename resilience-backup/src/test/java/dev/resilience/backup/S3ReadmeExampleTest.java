package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.s3.S3BackupStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** The README's S3 sample, kept compiling and building (the builder validates; nothing is sent). */
class S3ReadmeExampleTest {

    @Test
    void readmeSampleBuildsABackupIntoS3() {
        try (S3Client s3 = S3Client.builder().region(Region.EU_CENTRAL_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            // --- README sample start
            PostgresBackup offsite = PostgresBackup.builder()
                    .host("db").database("orders").user("backup")
                    .store(S3BackupStore.builder()
                            .client(s3).bucket("acme-backups").prefix("orders/")    // one prefix per database
                            .serverSideEncryption(ServerSideEncryption.AES256)      // optional, on top of .encryption(...)
                            .build())
                    .build();
            // --- README sample end

            // building validates the configuration and sends nothing: no request to S3 or PostgreSQL
            assertThat(offsite).isNotNull();
        }
    }
}
