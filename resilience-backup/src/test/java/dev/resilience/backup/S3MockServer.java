package dev.resilience.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import dev.resilience.testkit.TestServices;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for the tests: Adobe's S3Mock run from its executable jar as a child process
 * on a free loopback port (the build copies the jar to {@code target/s3mock}; see the module's POM).
 * Objects live in a temporary folder and go with the process. The ITs share one server per test JVM
 * ({@link #shared()}, each with a bucket of its own): S3Mock is a Spring Boot application and takes
 * seconds to start.
 */
final class S3MockServer implements AutoCloseable {

    private static S3MockServer shared;

    /** The one KMS key the server accepts for SSE-KMS. */
    static final String VALID_KMS_KEY_ID = "valid-test-key-ref";
    private static final String VALID_KMS_KEY = "arn:aws:kms:us-east-1:1234567890:key/" + VALID_KMS_KEY_ID;

    private final Process process;
    private final int port;
    private final Path root;

    private S3MockServer(Process process, int port, Path root) {
        this.process = process;
        this.port = port;
        this.root = root;
    }

    /** The test JVM's server, started on first use and stopped when the JVM exits. */
    static synchronized S3MockServer shared() {
        if (shared == null) {
            S3MockServer server = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception e) {
                    server.process.destroyForcibly();
                }
            }, "s3mock-stop"));
            shared = server;
        }
        return shared;
    }

    static S3MockServer start() {
        String jar = System.getProperty("s3mock.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Mock's jar is missing (system property s3mock.jar = " + jar
                    + "): run the tests through Maven (mvn verify), which copies com.adobe.testing:s3mock:exec there");
        }
        try {
            Path root = Files.createTempDirectory("s3mock");
            Path log = Files.createTempFile("s3mock", ".log");
            int port = TestServices.freeLoopbackPort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar,
                    "--com.adobe.testing.s3mock.httpPort=" + port, "--server.port=0", "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + root, "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_VALID_KMS_KEYS", VALID_KMS_KEY);
            Process process = builder.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!TestServices.isListening("127.0.0.1", port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("S3Mock did not start on port " + port + ": "
                            + Files.readString(log));
                }
                Thread.sleep(100);
            }
            Files.deleteIfExists(log);
            return new S3MockServer(process, port, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client as a user would configure one for an S3-compatible server: endpoint, path-style, static keys. */
    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
                .build();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
