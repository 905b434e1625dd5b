package dev.resilience.spring.boot.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.BackupEncryption;
import dev.resilience.backup.BackupManifest;
import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.VerificationStatus;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.TestServices;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring Boot application with the starter and the backup module against the real PostgreSQL and
 * {@code pg_dump}: the scheduler bean runs an encrypted backup of a database of the test's own, the
 * {@code /actuator/backups} endpoint lists it and its verification, and the encryption key shows in no log
 * line, no Actuator {@code env} or {@code configprops} answer and no {@code toString}.
 */
@SpringBootTest(classes = BackupSpringBootIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "resilience.ratelimit.enabled=false", "resilience.pool.minimum-idle=1", "resilience.pool.maximum-pool-size=2",
            "resilience.backup.schedule.auto-start=false", "resilience.backup.schedule.lock=local",
            "resilience.backup.schedule.zone=Europe/Berlin", "resilience.backup.retention.daily=3",
            "management.endpoints.web.exposure.include=health,backups,env,configprops",
            "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
            "logging.level.dev.resilience=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class BackupSpringBootIT {

    private static final String DATABASE = "starter_backup_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private static final String KEY = BackupEncryption.generateKey();
    private static Path store;

    @BeforeAll
    static void createDatabase() throws Exception {
        store = Files.createTempDirectory("starter-backup-it");
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(DATABASE), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id serial PRIMARY KEY, item text)");
            s.execute("INSERT INTO orders (item) SELECT 'item ' || g FROM generate_series(1, 100) g");
        }
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestServices.postgresUrl(DATABASE));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("resilience.backup.directory", () -> store.toString());
        registry.add("resilience.backup.encryption.key", () -> KEY);
        registry.add("resilience.backup.schedule.drill-tables", () -> "orders");
    }

    @LocalServerPort
    int port;
    @Autowired
    BackupScheduler scheduler;
    @Autowired
    PostgresBackup backup;
    @Autowired
    @Qualifier("postgresBackupHealthCheck")
    HealthCheck health;
    @Autowired
    Environment environment;
    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSchedulerBeanRunsAnEncryptedBackupThatTheEndpointListsWithItsVerification(CapturedOutput output) throws Exception {
        assertThat(backup.database()).as("from spring.datasource.url").isEqualTo(DATABASE);
        assertThat(health.check().status()).as("no backup yet").isEqualTo(HealthStatus.DOWN);

        assertThat(scheduler.runNow(BackupScheduler.Job.BACKUP)).isEqualTo(BackupScheduler.Outcome.COMPLETED);
        assertThat(meters.get("backup.success").tag("database", DATABASE).counter().count())
                .as("the backup's meters are bound to the application's registry").isEqualTo(1.0);

        BackupManifest made = backup.latest().orElseThrow();
        assertThat(made.encrypted()).isTrue();
        assertThat(made.verification().status()).isEqualTo(VerificationStatus.UNVERIFIED);
        String listed = get("/actuator/backups");
        assertThat(listed).contains("\"database\":\"" + DATABASE + "\"").contains("\"count\":1")
                .contains("\"id\":\"" + made.id() + "\"").contains("\"encrypted\":true").contains("\"status\":\"UNVERIFIED\"")
                .contains("\"nextBackup\"");

        assertThat(scheduler.runNow(BackupScheduler.Job.VERIFY)).isEqualTo(BackupScheduler.Outcome.COMPLETED);

        String one = get("/actuator/backups/" + made.id());
        assertThat(one).contains("\"status\":\"PASSED\"").contains("\"drill\":true").contains("\"passed\":true");
        assertThat(health.check().status()).isEqualTo(HealthStatus.UP);

        assertThat(environment.getProperty("resilience.backup.encryption.key")).as("the key did reach the application").isEqualTo(KEY);
        assertThat(get("/actuator/env")).contains("resilience.backup.encryption.key").doesNotContain(KEY);
        assertThat(get("/actuator/configprops")).contains("resilience.backup").doesNotContain(KEY);
        assertThat(String.valueOf(backup)).doesNotContain(KEY);
        assertThat(String.valueOf(scheduler)).doesNotContain(KEY);
        assertThat(output.getAll()).as("logged at DEBUG and above").contains(made.id()).doesNotContain(KEY);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
