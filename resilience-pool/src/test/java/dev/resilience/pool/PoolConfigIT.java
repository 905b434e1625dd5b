package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ResilientDataSource#config()} reports what was built, the defaults for the rest, and no password. */
class PoolConfigIT {

    @Test
    void configReportsTheDefaults() throws Exception {
        try (ResilientDataSource db = ResilientDataSource.builder()
                .url(TestDatabase.url("postgres"))
                .username(TestDatabase.adminUser())
                .poolName("it-config-defaults")
                .minimumIdle(1)
                .maximumPoolSize(2)
                .build()) {
            ResilientDataSource.Config config = db.config();
            assertThat(config.name()).isEqualTo("it-config-defaults");
            assertThat(config.url()).isEqualTo(TestDatabase.url("postgres"));
            assertThat(config.username()).isEqualTo(TestDatabase.adminUser());
            assertThat(config.minimumIdle()).isEqualTo(1);
            assertThat(config.maximumPoolSize()).isEqualTo(2);
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
            assertThat(config.maxLifetime()).isEqualTo(Duration.ofMinutes(30));
            assertThat(config.keepaliveTime()).isEqualTo(Duration.ofMinutes(5));
            assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.validationTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.leakDetectionThreshold()).isEqualTo(Duration.ofMinutes(1));
            assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.statementTimeoutPerTransaction()).isFalse();
            assertThat(config.slowQueryThreshold()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.logQueryParameters()).isFalse();
            assertThat(config.driverPropertyNames()).isEmpty();
            assertThat(config.maxAttempts()).isEqualTo(4);
            assertThat(config.maxRetryDuration()).isEqualTo(Duration.ofSeconds(10));
            // exponential from 50 ms doubling up to 2 s, full jitter
            assertThat(config.backoff().jitter()).isEqualTo(Jitter.FULL);
            assertThat(config.backoff().delay(1, Duration.ZERO)).isLessThanOrEqualTo(Duration.ofMillis(50));
            assertThat(config.backoff().delay(12, Duration.ZERO)).isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(config.acquisitionBreaker()).isEqualTo("it-config-defaults-acquisition");
            assertThat(config.replicaUrls()).isEmpty();
            assertThat(config.replicaMaxLag()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.replicaLagCheckInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.replicaLagQuery()).contains("pg_last_xact_replay_timestamp()");
            assertThat(config.healthPendingThreshold()).isEqualTo(5);
            assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.registerMbeans()).isFalse();
            assertThat(config.allowPoolSuspension()).isFalse();
            assertThat(config.schema()).isNull();
            assertThat(config.defaultIsolation()).isNull();
            assertThat(config.metrics()).isFalse();
        }
    }

    @Test
    void configReportsTheBuiltValuesAndNoPassword() throws Exception {
        Backoff backoff = Backoff.fixed(Duration.ofMillis(20));
        String url = TestDatabase.url("postgres") + "?ApplicationName=config-it&password=" + TestDatabase.PASSWORD;
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-config-built")
                .idleTimeout(Duration.ofMinutes(2))
                .statementTimeout(Duration.ofSeconds(3))
                .statementTimeoutPerTransaction(true)
                .slowQueryThreshold(Duration.ofMillis(250))
                .logQueryParameters(true)
                .driverProperty("sslpassword", TestDatabase.PASSWORD)
                .maxAttempts(2)
                .maxRetryDuration(Duration.ofSeconds(4))
                .backoff(backoff)
                .healthPendingThreshold(9)
                .schema("public")
                .defaultIsolation(Isolation.REPEATABLE_READ)
                .build()) {
            ResilientDataSource.Config config = db.config();
            assertThat(config.minimumIdle()).isEqualTo(1);
            assertThat(config.maximumPoolSize()).isEqualTo(4);
            assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.leakDetectionThreshold()).isEqualTo(Duration.ZERO);
            assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.statementTimeoutPerTransaction()).isTrue();
            assertThat(config.slowQueryThreshold()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.logQueryParameters()).isTrue();
            assertThat(config.driverPropertyNames()).containsExactly("sslpassword");
            assertThat(config.maxAttempts()).isEqualTo(2);
            assertThat(config.maxRetryDuration()).isEqualTo(Duration.ofSeconds(4));
            assertThat(config.backoff()).isSameAs(backoff);
            assertThat(config.healthPendingThreshold()).isEqualTo(9);
            assertThat(config.schema()).isEqualTo("public");
            assertThat(config.defaultIsolation()).isEqualTo(Isolation.REPEATABLE_READ);
            assertThat(config.url()).contains("ApplicationName=config-it").doesNotContain(TestDatabase.PASSWORD);
            assertThat(config.toString()).doesNotContain(TestDatabase.PASSWORD);
        }
    }
}
