package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.s3.S3BackupStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** config() reports the built values and the defaults, and never a secret; nothing connects or runs a tool. */
class BackupConfigTest {

    private static final String PASSWORD = "pg-Secret-pw-4711";
    private static final String AWS_SECRET = "aws-secret-key-0123456789";

    @TempDir
    Path work;

    private final MemoryStore store = new MemoryStore();

    @Test
    void postgresBackupConfigReportsTheDefaults() {
        PostgresBackup backup = PostgresBackup.builder().database("orders").store(store).binaries(PgBinaries.in(work))
                .workDirectory(work).build();
        PostgresBackup.Config config = backup.config();
        assertThat(config.host()).isEqualTo("localhost");
        assertThat(config.port()).isEqualTo(5432);
        assertThat(config.database()).isEqualTo("orders");
        assertThat(config.user()).isEqualTo("postgres");
        assertThat(config.passwordSet()).isFalse();
        assertThat(config.maintenanceDatabase()).isEqualTo("postgres");
        assertThat(config.store()).isEqualTo(store.describe());
        assertThat(config.format()).isEqualTo(DumpFormat.CUSTOM);
        assertThat(config.jobs()).isEqualTo(1);
        assertThat(config.compression()).isEqualTo(Compression.ofDefaults());
        assertThat(config.includeGlobals()).isFalse();
        assertThat(config.extraFiles()).isEmpty();
        assertThat(config.encryptionKeyId()).isEmpty();
        assertThat(config.retention().daily()).isEqualTo(7);
        assertThat(config.retention().weekly()).isEqualTo(4);
        assertThat(config.retention().monthly()).isEqualTo(12);
        assertThat(config.retention().zone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(config.smallDumpRatio()).isEqualTo(0.5);
        assertThat(config.maxAge()).isEqualTo(Duration.ofHours(26));
        assertThat(config.minFreeSpace()).isEqualTo(0.20);
        assertThat(config.workDirectory()).startsWith(work);
        assertThat(config.secretVariables()).isEmpty();
    }

    @Test
    void postgresBackupConfigReportsTheBuiltValuesButNoSecret() {
        byte[] key = Base64.getDecoder().decode(BackupEncryption.generateKey());
        BackupEncryption encryption = BackupEncryption.ofKey(key, "key-2026");
        BackupRetention retention = BackupRetention.of(3, 2, 1, ZoneId.of("Europe/Berlin"));
        PostgresBackup backup = PostgresBackup.builder().host("db.internal").port(6543).database("orders").user("backup")
                .password(PASSWORD.toCharArray()).maintenanceDatabase("template1").store(store)
                .binaries(PgBinaries.in(work)).compression(Compression.none())
                .includeGlobals(true).extraFiles(Path.of("/etc/app.conf")).encryption(encryption).retention(retention)
                .smallDumpRatio(0.25).maxAge(Duration.ofHours(2)).minFreeSpace(0.1)
                .secretEnvironmentVariables("APP_DB_PASSWORD").workDirectory(work).build();
        PostgresBackup.Config config = backup.config();
        assertThat(config).isEqualTo(new PostgresBackup.Config("db.internal", 6543, "orders", "backup", true, "template1",
                store.describe(), DumpFormat.CUSTOM, 1, Compression.none(), true, List.of(Path.of("/etc/app.conf")),
                Optional.of("key-2026"), retention, 0.25, Duration.ofHours(2), 0.1, config.workDirectory(),
                new TreeSet<>(Set.of("APP_DB_PASSWORD"))));
        String shown = config.toString();
        assertThat(shown).contains("key-2026").doesNotContain(PASSWORD).doesNotContain(Base64.getEncoder().encodeToString(key));
    }

    @Test
    void schedulerConfigReportsTheDefaultsAndTheBuiltValues() {
        BackupScheduler defaults = new BackupScheduler.Builder(new NoJobs(), JobLock::local).build();
        assertThat(defaults.config()).isEqualTo(new BackupScheduler.Config("0 2 * * *", "0 3 * * SUN", ZoneId.of("UTC"),
                true, List.of(), true));
        defaults.close();
        BackupScheduler built = new BackupScheduler.Builder(new NoJobs(), JobLock::local).backupCron("30 1 * * *")
                .verifyCron("0 4 * * MON").zone(ZoneId.of("Europe/Berlin")).pruneAfterBackup(false)
                .drillTables("orders", "customers").executor(Runnable::run).build();
        assertThat(built.config()).isEqualTo(new BackupScheduler.Config("30 1 * * *", "0 4 * * MON",
                ZoneId.of("Europe/Berlin"), false, List.of("orders", "customers"), false));
        built.close();
    }

    @Test
    void s3StoreConfigReportsTheSettingsButNoCredential() {
        try (S3Client client = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create("http://127.0.0.1:9"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAEXAMPLE", AWS_SECRET)))
                .build()) {
            S3BackupStore defaults = S3BackupStore.builder().client(client).bucket("backups").build();
            assertThat(defaults.config()).isEqualTo(new S3BackupStore.Config("backups", "", 8 * 1024 * 1024, "none",
                    Optional.empty()));
            S3BackupStore built = S3BackupStore.builder().client(client).bucket("backups").prefix("orders")
                    .partSize(16L * 1024 * 1024).serverSideEncryption(ServerSideEncryption.AWS_KMS).kmsKeyId("alias/backup")
                    .build();
            assertThat(built.config()).isEqualTo(new S3BackupStore.Config("backups", "orders/", 16 * 1024 * 1024,
                    "aws:kms", Optional.of("alias/backup")));
            assertThat(built.config().toString()).doesNotContain(AWS_SECRET).doesNotContain("AKIAEXAMPLE");
        }
    }

    /** Jobs that are never run: the config tests only build schedulers. */
    private static final class NoJobs implements BackupScheduler.Jobs {
        @Override
        public String name() {
            return "db";
        }

        @Override
        public Optional<Instant> newestBackupStart() {
            return Optional.empty();
        }

        @Override
        public void backup(boolean prune) {
        }

        @Override
        public void verify(List<String> drillTables) {
        }

        @Override
        public void backupNotRun(RuntimeException cause) {
        }
    }
}
