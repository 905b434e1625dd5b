package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestCertificates;
import dev.resilience.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} to a redis-server of the test's own with a certificate signed by a private CA (made
 * with openssl), which the JVM's default trust store does not trust; and {@code requirepass}, for the log
 * line a wrong password gets.
 */
class RedisConnectionTlsIT {

    static final String PASSWORD = "pw-" + UUID.randomUUID();

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static int tlsPort;
    static RedisServerProcess redis;

    @BeforeAll
    static void startRedisWithTls() {
        certificates = TestCertificates.create(dir);
        tlsPort = TestServices.freeLoopbackPort();
        List<String> config = new ArrayList<>(List.of("requirepass " + PASSWORD));
        config.addAll(certificates.redisTlsConfig(tlsPort));
        redis = RedisServerProcess.start(config);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void connectsOverTlsTrustingAPrivateCaFromAPemFile() throws Exception {
        try (RedisConnection<String, String> connection = RedisConnection.builder().uri(tlsUri())
                .trustStore(certificates.caCertificate()).connectTimeout(Duration.ofSeconds(5)).build()) {

            assertThat(connection.commandsIfConnected().set("tls-pem", "ok").get(5, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(connection.config().tls()).isTrue();
            assertThat(connection.config().trustStore()).contains(certificates.caCertificate());
        }
    }

    @Test
    void connectsOverTlsTrustingAPrivateCaFromAJksTrustStore() throws Exception {
        Path jks = certificates.trustStore("JKS", "changeit".toCharArray());
        try (RedisConnection<String, String> connection = RedisConnection.builder().uri(tlsUri())
                .trustStore(jks, "changeit".toCharArray()).connectTimeout(Duration.ofSeconds(5)).build()) {

            assertThat(connection.commandsIfConnected().set("tls-jks", "ok").get(5, TimeUnit.SECONDS)).isEqualTo("OK");
        }
    }

    @Test
    void refusesTheServerWithoutTheTrustStoreAndSaysWhyOnce() {
        String log = CapturedLog.during(() -> {
            try (RedisConnection<String, String> connection = RedisConnection.builder().uri(tlsUri())
                    .connectTimeout(Duration.ofSeconds(5)).probeInterval(Duration.ofMillis(50)).build()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> CapturedLog.soFar().contains("Cannot connect"));
                Thread.sleep(300); // several more background attempts, which must not each warn
                assertThat(connection.isReachable()).isFalse();
                assertThat(connection.commandsIfConnected()).isNull();
            }
        });

        assertThat(log.lines().filter(line -> line.contains("WARN") && line.contains("Cannot connect to Redis at 127.0.0.1:" + tlsPort)))
                .hasSize(1);
        assertThat(log).contains("SSLHandshakeException").contains("certification path").doesNotContain(PASSWORD);
    }

    @Test
    void aWrongPasswordIsLoggedWithRedisReasonButWithoutThePassword() {
        String wrong = "wrong-" + UUID.randomUUID();
        String log = CapturedLog.during(() -> {
            try (RedisConnection<String, String> connection = RedisConnection.builder()
                    .uri("redis://:" + wrong + "@127.0.0.1:" + redis.port()).connectTimeout(Duration.ofSeconds(2)).build()) {
                assertThat(connection.isReachable()).isFalse();
                assertThat(connection.toString() + connection.config()).doesNotContain(wrong);
            }
        });

        assertThat(log).contains("Cannot connect to Redis at 127.0.0.1:" + redis.port()).contains("WRONGPASS")
                .doesNotContain(wrong).doesNotContain(PASSWORD);
    }

    @Test
    void aRightPasswordConnectsAndTheProbeSeesRedisGoAndComeBack() {
        try (RedisServerProcess own = RedisServerProcess.start();
             RedisConnection<String, String> connection = RedisConnection.builder().uri(own.uri())
                     .probeInterval(Duration.ofMillis(50)).build()) {
            assertThat(connection.isReachable()).isTrue();

            own.kill();
            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isReachable());
            own.restart();
            await().atMost(Duration.ofSeconds(10)).until(connection::isReachable);
        }
    }

    @Test
    void rejectsATrustStoreItCannotReadNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> RedisConnection.builder().trustStore(missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustStore").hasMessageContaining(missing.toString());
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> RedisConnection.builder().trustStore(notPem))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a PEM file");
        Path jks = certificates.trustStore("JKS", "changeit".toCharArray());
        assertThatThrownBy(() -> RedisConnection.builder().trustStore(jks, "wrong".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("with that password")
                .hasMessageNotContaining("wrong");
    }

    private static String tlsUri() {
        return "rediss://:" + PASSWORD + "@127.0.0.1:" + tlsPort;
    }
}
