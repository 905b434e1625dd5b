package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.RedisServerProcess;
import dev.resilience.testkit.TestCertificates;
import dev.resilience.testkit.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    static TestCertificates certificates;
    static int tlsPort;
    static RedisServerProcess redis;

    @BeforeAll
    static void startRedisWithPasswordsAndTls() throws Exception {
        certificates = TestCertificates.create(certs);
        tlsPort = TestServices.freeLoopbackPort();
        List<String> config = new ArrayList<>(List.of(
                "requirepass " + ADMIN_PASSWORD,
                "user " + USER + " on >" + LIMITER_PASSWORD + " " + LIMITER_ACL));
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

        // names the server and Redis' reason (Lettuce's own message says only "Unable to connect")
        assertThat(log).contains("Cannot connect to Redis at 127.0.0.1:" + redis.port()).contains("WRONGPASS")
                .doesNotContain(wrong).doesNotContain(LIMITER_PASSWORD);
    }

    @Test
    void limitsOverTlsWithARedissUriOnceTheJvmTrustsTheServersCa() throws Exception {
        // RedisBackend takes no SslOptions: Lettuce then trusts what the JVM's default trust store does
        Path trustStore = certificates.trustStore("PKCS12", "changeit".toCharArray());
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
    void limitsOverTlsWithAPrivateCaGivenAsTheBackendsTrustStore() throws Exception {
        String key = "tls-ca-" + UUID.randomUUID();
        try (RedisBackend backend = RedisBackend.builder().uri("rediss://" + USER + ":" + LIMITER_PASSWORD + "@127.0.0.1:" + tlsPort)
                .trustStore(certificates.caCertificate()).connectTimeout(Duration.ofSeconds(5)).build();
             RedisRateLimiter limiter = limiter(backend)) {

            await().atMost(Duration.ofSeconds(10)).until(backend::isConnected);
            List<Boolean> allowed = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                allowed.add(limiter.tryAcquire(key).allowed());
            }

            assertThat(allowed).containsExactly(true, true, true, false);
            assertThat(backend.config().trustStore()).contains(certificates.caCertificate());
        }
    }

    @Test
    void redissIsRefusedWhileTheJvmDoesNotTrustTheServersCa() throws Exception {
        String log = CapturedLog.during(() -> {
            try (RedisBackend backend = RedisBackend.builder().uri("rediss://" + USER + ":" + LIMITER_PASSWORD + "@127.0.0.1:" + tlsPort)
                    .connectTimeout(Duration.ofSeconds(5)).build();
                 RedisRateLimiter limiter = limiter(backend)) {

                assertThat(limiter.tryAcquire("k").allowed()).as("FAIL_CLOSED without Redis").isFalse();
                assertThat(backend.isReachable()).isFalse();
                // a TLS handshake can outlast the connect timeout on a loaded machine: wait for its end
                await().atMost(Duration.ofSeconds(30)).until(() -> CapturedLog.soFar().contains("Cannot connect"));
            }
        });

        assertThat(log).contains("Cannot connect to Redis at 127.0.0.1:" + tlsPort).contains("SSLHandshakeException")
                .doesNotContain(LIMITER_PASSWORD);
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
}
