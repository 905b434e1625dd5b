package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.cli.BackupCommand;
import dev.resilience.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The command line's S3 options against a real S3 API server (S3Mock), with the real pg_dump. */
class S3CommandIT {

    private static final String BUCKET = "resilience-cli-backups";
    private static S3MockServer server;
    private static S3Client s3;
    @TempDir Path local;

    @BeforeAll
    static void startServer() {
        server = S3MockServer.shared();
        s3 = server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        // the CLI takes credentials only from the SDK's default chain: system properties come first in it
        System.setProperty("aws.accessKeyId", "test-key");
        System.setProperty("aws.secretAccessKey", "test-secret");
    }

    @AfterAll
    static void stopServer() throws Exception {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        s3.close(); // the server is shared with the module's other S3 ITs and stops with the JVM
    }

    private String[] args(String database, String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "-H", TestServices.postgresHost(), "-p",
                String.valueOf(TestServices.postgresPort()), "-d", database, "-s", local.toString(),
                "--s3-bucket", BUCKET, "--s3-endpoint", server.endpoint().toString(), "--s3-region", "us-east-1",
                "--s3-path-style"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private List<String> localDumps() throws Exception {
        try (Stream<Path> files = Files.list(local)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dump")).toList();
        }
    }

    @Test
    void backupVerifyAndRestoreThroughS3OnlyKeepTheDumpInTheBucket() throws Exception {
        try (PgFixture pg = new PgFixture()) {
            String db = pg.createSampleDatabase("s3cli");
            String target = pg.newName("s3cli_target");

            assertThat(BackupCommand.execute(args(db, "backup", "--s3-prefix", "only"))).isZero();
            assertThat(BackupCommand.execute(args(db, "verify", "--s3-prefix", "only"))).isZero();
            assertThat(BackupCommand.execute(args(db, "restore", "--s3-prefix", "only", "--target", target))).isZero();

            assertThat(keys("only/")).anyMatch(k -> k.startsWith("only/" + db + "-") && k.endsWith(".dump"))
                    .anyMatch(k -> k.endsWith(".manifest.json"));
            assertThat(localDumps()).isEmpty();
            assertThat(PgFixture.contents(target, "orders")).isEqualTo(PgFixture.contents(db, "orders"));
        }
    }

    @Test
    void mirrorS3KeepsBothCopiesAndAMissingS3CopyFailsVerification() throws Exception {
        try (PgFixture pg = new PgFixture()) {
            String db = pg.createSampleDatabase("s3mirror");

            assertThat(BackupCommand.execute(args(db, "backup", "--s3-prefix", "mirror/", "--mirror-s3"))).isZero();
            assertThat(BackupCommand.execute(args(db, "verify", "--s3-prefix", "mirror/", "--mirror-s3"))).isZero();

            assertThat(localDumps()).singleElement().asString().startsWith(db + "-");
            String remoteDump = "mirror/" + localDumps().get(0);
            assertThat(keys("mirror/")).contains(remoteDump);
            s3.deleteObject(b -> b.bucket(BUCKET).key(remoteDump));
            assertThat(BackupCommand.execute(args(db, "verify", "--s3-prefix", "mirror/", "--mirror-s3"))).isEqualTo(3);
        }
    }

    @Test
    void severalDatabasesGoUnderTheirOwnPrefix() throws Exception {
        try (PgFixture pg = new PgFixture()) {
            String first = pg.createSampleDatabase("s3multi");
            String second = pg.createSampleDatabase("s3multi");
            List<String> all = new ArrayList<>(List.of(args(first, "backup", "--s3-prefix", "multi", "-d", second)));

            assertThat(BackupCommand.execute(all.toArray(String[]::new))).isZero();

            assertThat(keys("multi/" + first + "/")).anyMatch(k -> k.startsWith("multi/" + first + "/" + first + "-") && k.endsWith(".dump"));
            assertThat(keys("multi/" + second + "/")).anyMatch(k -> k.startsWith("multi/" + second + "/" + second + "-") && k.endsWith(".dump"));
        }
    }

    @Test
    void s3OptionsWithoutABucketAreAUsageError() {
        String[] args = {"list", "-d", "x", "-s", local.toString(), "--mirror-s3"};

        assertThat(BackupCommand.execute(args)).isEqualTo(2);
    }
}
