package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
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
 * The limiter against a redis-server of the test's own that wants credentials: {@code requirepass} for
 * the default user and an ACL user {@value #USER} allowed only the limiter's keys ({@code rlauth:*})
 * and the commands its scripts, probe and start-up check use; plus a TLS port with a certificate for
 * 127.0.0.1 signed by a CA the test makes with {@code openssl} (Debian's redis-server is built with
 * TLS; a build without it fails the start with a message saying so).
 */
class RedisAuthIT {

    static final String USER = "limiter";
    static final String PREFIX = "rlauth:";
    /** The limiter's needs: its scripts' commands, EVAL/EVALSHA, PING (probe), TIME (start-up check), DEL (reset). */
    static final String LIMITER_ACL = "~" + PREFIX + "* resetchannels -@all +ping +eval +evalsha +time +del +get +set"
            + " +hget +hmget +hset +hdel +pexpire +zadd +zcard +zrange +zrem +zremrangebyscore +zscore";
    static final RateLimitPolicy POLICY = RateLimitPolicy.of(Limit.fixedWindow("minute", 3, Duration.ofMinutes(1)));

    static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    static final String LIMITER_PASSWORD = "limiter-" + UUID.randomUUID();

    @TempDir
    static Path certs;
    static int tlsPort;
    static RedisServerProcess redis;

    @BeforeAll
    static void startRedisWithPasswordsAndTls() throws Exception {
        makeCertificates(certs);
        tlsPort = TestServices.freeLoopbackPort();
        redis = RedisServerProcess.start(List.of(
                "requirepass " + ADMIN_PASSWORD,
                "user " + USER + " on >" + LIMITER_PASSWORD + " " + LIMITER_ACL,
                "tls-port " + tlsPort,
                "tls-cert-file " + certs.resolve("server.crt"),
                "tls-key-file " + certs.resolve("server.key"),
                "tls-ca-cert-file " + certs.resolve("ca.crt"),
                "tls-auth-clients no"));
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void limitsWithAnAclUserAllowedOnlyTheLimitersKeysAndCommands() throws Exception {
        String key = "client-" + UUID.randomUUID();
        try (RedisBackend backend = RedisBackend.create("redis://" + USER + ":" + LIMITER_PASSWORD + "@127.0.0.1:" + redis.port());
             RedisRateLimiter limiter = limiter(backend)) {

            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                allowed.add(limiter.tryAcquire(key).allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false);
            assertThat(limiter.fallbackActive()).isFalse();
            assertThat(limiter.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);
            assertThat(keysInRedis()).anySatisfy(k -> assertThat(k).startsWith(PREFIX).contains(key));
        }
    }

    @Test
    void limitsWithAServerGivenByItsPartsWithoutAUri() throws Exception {
        String key = "parts-" + UUID.randomUUID();
        try (RedisBackend backend = RedisBackend.builder()
                .server("127.0.0.1", redis.port(), USER, LIMITER_PASSWORD.toCharArray(), false, 0).build();
             RedisRateLimiter limiter = limiter(backend)) {

            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                allowed.add(limiter.tryAcquire(key).allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false);
            assertThat(limiter.fallbackActive()).isFalse();
            assertThat(backend.description() + backend).doesNotContain(LIMITER_PASSWORD);
            assertThat(keysInRedis()).anySatisfy(k -> assertThat(k).startsWith(PREFIX).contains(key));
        }
    }

    @Test
    void wrongCredentialsLeaveTheLimiterOffRedisWithoutShowingThePassword() throws Exception {
        String wrong = "wrong-" + UUID.randomUUID();
        String log = CapturedLog.during(() -> {
            try (RedisBackend backend = RedisBackend.builder().uri("redis://" + USER + ":" + wrong + "@127.0.0.1:" + redis.port())
                    .probeInterval(Duration.ofMillis(50)).build();
                 RedisRateLimiter limiter = limiter(backend)) {

                assertThat(limiter.tryAcquire("k").allowed()).as("FAIL_CLOSED without Redis").isFalse();
                assertThat(backend.isReachable()).isFalse();
                var health = limiter.asHealthCheck().check();
                assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
                assertThat(health.message()).contains("Redis unreachable");
                assertThat(health.toString() + backend + limiter).doesNotContain(wrong);
            }
        });

        // names the server, not why: RedisBackend logs Lettuce's "Unable to connect" without its cause
        // (WRONGPASS invalid username-password pair), a gap the README's "Redis credentials and TLS" states
        assertThat(log).contains("Cannot connect to Redis at 127.0.0.1:" + redis.port())
                .doesNotContain(wrong).doesNotContain(LIMITER_PASSWORD);
    }

    @Test
    void limitsOverTlsWithARedissUriOnceTheJvmTrustsTheServersCa() throws Exception {
        // RedisBackend takes no SslOptions: Lettuce then trusts what the JVM's default trust store does
        Path trustStore = trustStoreWith(certs.resolve("ca.crt"));
        String[] names = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"};
        String[] saved = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            saved[i] = System.getProperty(names[i]);
        }
        System.setProperty(names[0], trustStore.toString());
        System.setProperty(names[1], "changeit");
        System.setProperty(names[2], "PKCS12");
        String key = "tls-" + UUID.randomUUID();
        try (RedisBackend backend = RedisBackend.create("rediss://" + USER + ":" + LIMITER_PASSWORD + "@127.0.0.1:" + tlsPort);
             RedisRateLimiter limiter = limiter(backend)) {

            await().atMost(Duration.ofSeconds(10)).until(backend::isConnected);
            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                allowed.add(limiter.tryAcquire(key).allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false);
            assertThat(backend.description()).isEqualTo("127.0.0.1:" + tlsPort);
            assertThat(keysInRedis()).anySatisfy(k -> assertThat(k).contains(key));
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], saved[i]);
                }
            }
        }
    }

    @Test
    void redissIsRefusedWhileTheJvmDoesNotTrustTheServersCa() throws Exception {
        String log = CapturedLog.during(() -> {
            try (RedisBackend backend = RedisBackend.builder().uri("rediss://" + USER + ":" + LIMITER_PASSWORD + "@127.0.0.1:" + tlsPort)
                    .connectTimeout(Duration.ofMillis(500)).build();
                 RedisRateLimiter limiter = limiter(backend)) {

                assertThat(limiter.tryAcquire("k").allowed()).as("FAIL_CLOSED without Redis").isFalse();
                assertThat(backend.isReachable()).isFalse();
            }
        });

        assertThat(log).contains("Cannot connect to Redis at 127.0.0.1:" + tlsPort).doesNotContain(LIMITER_PASSWORD);
    }

    /** FAIL_CLOSED, so an allowed request proves Redis decided it. */
    static RedisRateLimiter limiter(RedisBackend backend) {
        return RedisRateLimiter.builder("auth", POLICY).backend(backend).keyPrefix(PREFIX)
                .fallbackMode(FallbackMode.FAIL_CLOSED).build();
    }

    static List<String> keysInRedis() {
        RedisClient admin = RedisClient.create("redis://:" + ADMIN_PASSWORD + "@127.0.0.1:" + redis.port());
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            return connection.sync().keys(PREFIX + "*");
        } finally {
            admin.shutdown();
        }
    }

    /** A CA and a certificate for IP 127.0.0.1 it signed, as PEM files, made with openssl. */
    static void makeCertificates(Path dir) throws Exception {
        Files.writeString(dir.resolve("san.cnf"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=resilience test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "1", "-extfile", "san.cnf");
    }

    static Path trustStoreWith(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = caPem.resolveSibling("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
