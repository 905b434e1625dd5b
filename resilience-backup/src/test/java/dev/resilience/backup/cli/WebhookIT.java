package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.backup.internal.Json;
import dev.resilience.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookIT {

    private final String missing = "resilience_backup_hook_missing_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private volatile int answer = 204;
    private volatile boolean hang;
    private HttpServer server;
    private PrintStream originalErr;
    @TempDir Path store;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (hang) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopServer() {
        System.setErr(originalErr);
        release.countDown();
        server.stop(0);
    }

    private String hook() {
        return "http://alice:s3cret@127.0.0.1:" + server.getAddress().getPort() + "/hook?token=t0ken";
    }

    private String[] backup(String database, String url, String... more) {
        String[] base = {"backup", "-H", TestServices.postgresHost(), "-p", String.valueOf(TestServices.postgresPort()),
                "-d", database, "-s", store.toString(), "--notify-url", url};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailedBackupPostsDatabaseOperationAndErrorToTheWebhook() throws Exception {
        int code = BackupCommand.execute(backup(missing, hook()));

        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(bodies).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(bodies.get(0));
        assertThat(body.get("database").asText()).isEqualTo(missing);
        assertThat(body.get("operation").asText()).isEqualTo("backup");
        assertThat(body.get("exitCode").asInt()).isEqualTo(BackupCommand.FAILED);
        assertThat(body.get("error").asText()).contains(missing);
        assertThat(authorizations).containsExactly("Basic " + java.util.Base64.getEncoder()
                .encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRunOverSeveralDatabasesPostsOnceNamingTheFailedOnes() throws Exception {
        String other = missing + "_2";
        String[] args = backup(missing, hook(), "-d", other);

        assertThat(BackupCommand.execute(args)).isEqualTo(BackupCommand.FAILED);

        assertThat(bodies).hasSize(1);
        JsonNode body = Json.MAPPER.readTree(bodies.get(0));
        assertThat(body.get("database").asText()).isEqualTo(missing + "," + other);
        assertThat(body.get("error").asText()).contains(missing).contains(other);
    }

    @Test
    void theUrlCanComeFromAFileToStayOutOfTheProcessList() throws Exception {
        Path file = store.resolve("hook.url");
        java.nio.file.Files.writeString(file, hook() + "\n");
        String[] args = backup(missing, "x", "--notify-url-file", file.toString());
        List<String> withoutUrl = new java.util.ArrayList<>(List.of(args));
        int at = withoutUrl.indexOf("--notify-url");
        withoutUrl.remove(at + 1);
        withoutUrl.remove(at);

        assertThat(BackupCommand.execute(withoutUrl.toArray(String[]::new))).isEqualTo(BackupCommand.FAILED);

        assertThat(bodies).hasSize(1);
        assertThat(Json.MAPPER.readTree(bodies.get(0)).get("database").asText()).isEqualTo(missing);
    }

    @Test
    void aSuccessfulBackupPostsNothing() throws Exception {
        String db = "resilience_backup_hook_ok_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        StatusCommandIT.sql("postgres", "CREATE DATABASE " + db);
        try {
            StatusCommandIT.sql(db, "CREATE TABLE items(id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 10)");

            assertThat(BackupCommand.execute(backup(db, hook()))).isZero();

            assertThat(bodies).isEmpty();
        } finally {
            StatusCommandIT.sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
    }

    @Test
    void aWebhookAnsweringAnErrorIsLoggedWithoutItsCredentialsAndTheExitCodeStays() {
        answer = 500;

        int code = BackupCommand.execute(backup(missing, hook()));

        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(bodies).hasSize(1);
        assertThat(logged()).contains("Failure webhook http://127.0.0.1:" + server.getAddress().getPort() + " answered HTTP 500")
                .doesNotContain("s3cret").doesNotContain("t0ken").doesNotContain("alice");
    }

    @Test
    void aWebhookThatNeverAnswersIsCutOffAtItsTimeoutAndTheExitCodeStays() {
        hang = true;
        long t0 = System.nanoTime();

        int code = BackupCommand.execute(backup(missing, hook(), "--notify-timeout", "PT1S"));

        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
        assertThat(bodies).hasSize(1);
        assertThat(logged()).contains("HttpTimeoutException").doesNotContain("s3cret").doesNotContain("t0ken");
    }

    @Test
    void anUnreachableWebhookIsLoggedAndTheExitCodeStays() throws Exception {
        int closedPort = TestServices.freeLoopbackPort();

        int code = BackupCommand.execute(backup(missing, "https://bob:pw@127.0.0.1:" + closedPort + "/x?token=t0ken"));

        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(logged()).contains("Failure webhook https://127.0.0.1:" + closedPort + " failed: ConnectException")
                .doesNotContain("t0ken").doesNotContain("bob");
    }
}
