package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.PostgresCluster;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example when its database goes away: a cluster of the test's own ({@link PostgresCluster}) is
 * stopped under the service, and every answer is a 503 with {@code Retry-After}, never a 500, until
 * it is back.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseOutageIT {

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aStoppedDatabaseAnswers503WithRetryAfterNever500() throws Exception {
        try (PostgresCluster postgres = PostgresCluster.start()) {
            try (ExampleService service = startOn(postgres)) {
                assertThat(send(service, "POST", "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":1}").statusCode()).isEqualTo(201);

                postgres.stop();
                // one client after the other, as the first requests of an outage come
                for (int i = 0; i < 6; i++) {
                    HttpResponse<String> response = send(service, i % 2 == 0 ? "GET" : "POST",
                            "{\"customer\":\"bob\",\"item\":\"pen\",\"quantity\":1}");
                    assertThat(response.statusCode()).as("request %d: %s", i + 1, response.body()).isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    assertThat(response.body()).doesNotContain("Exception", "jdbc");
                }

                postgres.startAgain();
                await("orders again once the database is back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> send(service, "GET", null).statusCode() == 200);
            }
        }
    }

    @Test
    void aStatementCutByItsTimeoutAnswers503WithRetryAfterNot500() throws Exception {
        try (PostgresCluster postgres = PostgresCluster.start()) {
            try (ExampleService service = startOn(postgres);
                 Connection locker = DriverManager.getConnection(postgres.jdbcUrl("orders"))) {
                // another session holds the table, so the insert waits until the pool's 5 s statement timeout
                locker.setAutoCommit(false);
                try (Statement lock = locker.createStatement()) {
                    lock.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
                }

                HttpResponse<String> response = send(service, "POST", "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":1}");

                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                locker.rollback();
                assertThat(send(service, "POST", "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":1}").statusCode())
                        .isEqualTo(201);
            }
        }
    }

    /** The service on database {@code orders} of {@code postgres}, backups off (no pg_dump in PG_BIN) to start fast. */
    ExampleService startOn(PostgresCluster postgres) throws Exception {
        postgres.createDatabase("orders");
        Path noPgDump = Files.createDirectories(dir.resolve("no-pg-dump"));
        return ExampleService.start(ServiceConfig.fromEnv(Map.of("PORT", "0", "DATABASE_URL", postgres.jdbcUrl("orders"),
                "DB_ACQUIRE_TIMEOUT", "2s", "PG_BIN", noPgDump.toString(), "BACKUP_DIR", dir.resolve("backups").toString(),
                "SHUTDOWN_DRAIN", "0s")));
    }

    HttpResponse<String> send(ExampleService service, String method, String body) throws Exception {
        return http.send(request(service, method, body), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest request(ExampleService service, String method, String body) {
        return HttpRequest.newBuilder(service.baseUri().resolve("/api/orders"))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null || method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}
