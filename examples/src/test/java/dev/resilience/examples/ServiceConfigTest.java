package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void emptyEnvironmentGivesEmbeddedDefaults() {
        ServiceConfig config = ServiceConfig.fromEnv(Map.of());

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(config.database()).isEmpty();
        assertThat(config.redisUri()).isEmpty();
        assertThat(config.apiLimit()).isEqualTo(new ServiceConfig.RateLimitSpec(100, Duration.ofMinutes(15)));
        assertThat(config.loginLimit()).isEqualTo(new ServiceConfig.RateLimitSpec(5, Duration.ofMinutes(15)));
        assertThat(config.middleware()).isTrue();
        assertThat(config.adminToken()).isEmpty();
    }

    @Test
    void databaseUrlGivesHostPortDatabaseAndDecodedCredentials() {
        ServiceConfig config = ServiceConfig.fromEnv(Map.of("DATABASE_URL", "postgres://app:p%40ss@db.internal:6543/shop?sslmode=require"));

        DatabaseConfig db = config.database().orElseThrow();
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/shop?sslmode=require");
        assertThat(db.user()).isEqualTo("app");
        assertThat(db.password()).isEqualTo("p@ss");
    }

    @Test
    void jdbcUrlWithCredentialsInParametersIsAccepted() {
        DatabaseConfig db = DatabaseConfig.fromUrl("jdbc:postgresql://127.0.0.1/test?user=postgres&password=secret&ssl=false");

        assertThat(db.port()).isEqualTo(5432);
        assertThat(db.user()).isEqualTo("postgres");
        assertThat(db.password()).isEqualTo("secret");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?ssl=false");
    }

    @Test
    void pgVariablesAreUsedWhenThereIsNoDatabaseUrl() {
        ServiceConfig config = ServiceConfig.fromEnv(Map.of("PGHOST", "pg", "PGUSER", "shop", "PGPASSWORD", "pw"));

        DatabaseConfig db = config.database().orElseThrow();
        assertThat(db.toString()).isEqualTo("shop@pg:5432/shop");
        assertThat(db.password()).isEqualTo("pw");
    }

    @Test
    void passwordsAppearNeitherInToStringNorInErrors() {
        ServiceConfig config = ServiceConfig.fromEnv(Map.of("DATABASE_URL", "postgres://app:hunter2@db/shop", "ADMIN_TOKEN", "t0ken-of-the-admin-1"));

        assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("t0ken");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("DATABASE_URL", "mysql://app:hunter2@db/shop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rateLimitsAndDurationsAcceptShortAndIsoForms() {
        ServiceConfig config = ServiceConfig.fromEnv(Map.of("API_RATE_LIMIT", "150/1m", "UPSTREAM_TIMEOUT", "PT0.5S",
                "SHUTDOWN_GRACE", "500ms"));

        assertThat(config.apiLimit()).isEqualTo(new ServiceConfig.RateLimitSpec(150, Duration.ofMinutes(1)));
        assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("PORT", "http")))
                .hasMessageContaining("PORT").hasMessageContaining("'http'");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("API_RATE_LIMIT", "100 per minute")))
                .hasMessageContaining("API_RATE_LIMIT");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("LOGIN_RATE_LIMIT", "0/15m")))
                .hasMessageContaining("LOGIN_RATE_LIMIT").hasMessageContaining("permits");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("HTTP_MIDDLEWARE", "maybe")))
                .hasMessageContaining("HTTP_MIDDLEWARE");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("UPSTREAM_TIMEOUT", "soon")))
                .hasMessageContaining("UPSTREAM_TIMEOUT");
    }

    @Test
    void aMalformedRedisUriNamesTheVariableAndHidesThePassword() {
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("REDIS_URI", "redis://:hunter2@cache:port")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("REDIS_URI must look like redis://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("REDIS_URI", "cache:6379")))
                .hasMessageStartingWith("REDIS_URI");
    }

    @Test
    void aShortAdminTokenIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("ADMIN_TOKEN", "secret")))
                .hasMessageContaining("ADMIN_TOKEN").hasMessageContaining("16").hasMessageNotContaining("secret");
    }

    @Test
    void aBackupEncryptionKeyMustBe32BytesOfBase64AndIsNeverEchoed() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(ServiceConfig.fromEnv(Map.of("BACKUP_ENCRYPTION_KEY", key)).backupEncryptionKey()).contains(key);
        assertThat(ServiceConfig.fromEnv(Map.of()).backupEncryptionKey()).isEmpty();
        assertThat(ServiceConfig.fromEnv(Map.of("BACKUP_ENCRYPTION_KEY", key)).toString()).doesNotContain(key);

        String short16 = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("BACKUP_ENCRYPTION_KEY", short16)))
                .hasMessage("BACKUP_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32) but decodes to 16 bytes");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("BACKUP_ENCRYPTION_KEY", "not*base64-secret")))
                .hasMessageStartingWith("BACKUP_ENCRYPTION_KEY must be 32 bytes in base64").hasMessageNotContaining("not*base64-secret");
    }

    @Test
    void trustedProxiesAreACommaSeparatedList() {
        assertThat(ServiceConfig.fromEnv(Map.of("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")).trustedProxies())
                .containsExactly("10.0.0.0/8", "127.0.0.1");
    }

    @Test
    void middlewareCanBeSwitchedOff() {
        assertThat(ServiceConfig.fromEnv(Map.of("HTTP_MIDDLEWARE", "off")).middleware()).isFalse();
    }

    @Test
    void orderWebhooksNeedAUrlAndASecretThatIsNeverEchoed() {
        assertThat(ServiceConfig.fromEnv(Map.of("WEBHOOK_SECRET", "it-webhook-secret-0123456789")).webhook()).isEmpty();
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("WEBHOOK_URL", "http://127.0.0.1:1/hooks")))
                .hasMessageContaining("WEBHOOK_SECRET must be set");
        assertThatThrownBy(() -> ServiceConfig.fromEnv(Map.of("WEBHOOK_URL", "http://127.0.0.1:1/hooks", "WEBHOOK_SECRET", "short-secret")))
                .hasMessageContaining("WEBHOOK_SECRET must be at least 16 characters").hasMessageNotContaining("short-secret");
        ServiceConfig on = ServiceConfig.fromEnv(Map.of("WEBHOOK_URL", "http://127.0.0.1:1/hooks",
                "WEBHOOK_SECRET", "it-webhook-secret-0123456789"));
        assertThat(on.webhook().orElseThrow().url()).hasToString("http://127.0.0.1:1/hooks");
        assertThat(on.toString()).contains("webhook=http://127.0.0.1:1/hooks").doesNotContain("it-webhook-secret");
    }
}
