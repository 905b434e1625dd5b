package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.TestServices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: {@code java -jar} in a child process, stopped with real signals.
 * The external database is a database of its own on the test PostgreSQL (created and dropped here);
 * the embedded one is the default. Every child is killed when its test ends, passed or failed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ExampleProcessIT {

    final String database = "resilience_example_proc_" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path workDir;

    @BeforeAll
    void createDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @AfterAll
    void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void sigtermWithAnExternalDatabaseClosesEverythingInOrderAndCompletes() throws Exception {
        try (ExampleProcess service = start(workDir, external(Map.of("SHUTDOWN_DRAIN", "1s")))) {
            service.awaitListening();

            service.sigterm();

            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isZero();
            assertShutDownInOrder(service.output(), "database pool");
        }
    }

    @Test
    void sigtermWithTheEmbeddedDatabaseClosesItLast() throws Exception {
        try (ExampleProcess service = start(workDir, Map.of("SHUTDOWN_DRAIN", "1s",
                "BACKUP_DIR", workDir.resolve("backups-embedded").toString()))) {
            service.awaitListening();

            service.sigterm();

            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isZero();
            assertShutDownInOrder(service.output(), "embedded postgres");
        }
    }

    @Test
    void aSecondSignalDuringTheDrainSkipsItClosesInOrderAndExitsWithItsStatus() throws Exception {
        try (ExampleProcess service = start(workDir, external(Map.of("SHUTDOWN_DRAIN", "60s")))) {
            service.awaitListening();
            service.sigterm();
            service.awaitLog("step 2/5");

            service.sigint();

            assertThat(service.awaitExit(Duration.ofSeconds(40))).as("128 + SIGINT's 2\n" + service.output()).isEqualTo(130);
            assertThat(service.output()).contains("SIGINT received during the drain: skipping the rest of it");
            assertShutDownInOrder(service.output(), "database pool");
        }
    }

    @Test
    void anEmbeddedServerLeftRunningByKill9IsStoppedAndDeletedAtTheNextStart() throws Exception {
        Map<String, String> env = Map.of("BACKUP_DIR", workDir.resolve("backups-kill").toString());
        try {
            Path orphan;
            try (ExampleProcess first = start(workDir, env)) {
                Set<Path> before = embeddedFolders();
                first.awaitListening();
                Set<Path> started = embeddedFolders();
                started.removeAll(before);
                assertThat(started).as("the first run's folder under %s", EmbeddedDatabase.HOME).hasSize(1);
                orphan = started.iterator().next().resolve("data");

                first.sigkill();
            }
            ProcessHandle postmaster = EmbeddedDatabase.serverOf(orphan).orElseThrow(
                    () -> new AssertionError("the embedded server should outlive kill -9 of its Java process"));

            try (ExampleProcess second = start(workDir, env)) {
                second.awaitListening();

                assertThat(second.output()).contains("Stopping the embedded PostgreSQL (pid " + postmaster.pid() + ") left running");
                assertThat(postmaster.isAlive()).isFalse();
                assertThat(orphan.getParent()).doesNotExist();
                second.sigterm();
                assertThat(second.awaitExit(Duration.ofSeconds(60))).as(second.output()).isZero();
            }
        } finally {
            EmbeddedDatabase.stopOrphans(); // whatever a failed run left behind
        }
    }

    @Test
    void aPortInUseIsABadConfigurationNamingThePortAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ExampleProcess service = start(workDir, external(Map.of("PORT", Integer.toString(taken.getLocalPort()))))) {

            assertThat(service.awaitExit(Duration.ofSeconds(60))).as(service.output()).isEqualTo(2);
            assertOneLineBadConfiguration(service.output(), "PORT " + taken.getLocalPort() + " on 127.0.0.1 is already in use");
        }
    }

    @Test
    void aMalformedRedisUriIsABadConfigurationWithoutStackTraceOrPassword() throws Exception {
        try (ExampleProcess service = start(workDir, external(Map.of("REDIS_URI", "redis://:hunter2@cache:port")))) {

            assertThat(service.awaitExit(Duration.ofSeconds(30))).as(service.output()).isEqualTo(2);
            assertOneLineBadConfiguration(service.output(), "REDIS_URI must look like redis://");
            assertThat(service.output()).doesNotContain("hunter2");
        }
    }

    @Test
    void errorAnswersSpeakOfTheServiceNotOfJavaOrTheLibrary() throws Exception {
        try (ExampleProcess service = start(workDir, external(Map.of("SHUTDOWN_DRAIN", "0s")))) {
            URI base = URI.create(service.awaitListening());
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> detailed = http.send(HttpRequest.newBuilder(base.resolve("/health/detailed")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> unknownField = http.send(HttpRequest.newBuilder(base.resolve("/api/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":1,\"colour\":\"red\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(detailed.statusCode()).isEqualTo(404);
            assertThat(detailed.body()).contains("ADMIN_TOKEN").doesNotContain("EndpointAccess");
            assertThat(unknownField.statusCode()).isEqualTo(400);
            assertThat(unknownField.body()).contains("unknown field 'colour'").doesNotContain("dev.resilience", "class ");
            service.sigterm();
            assertThat(service.awaitExit(Duration.ofSeconds(60))).isZero();
        }
    }

    @Test
    void aCleanStartLogsOneInfoLineAndNoWarning() throws Exception {
        Map<String, String> env = external(Map.of("SHUTDOWN_DRAIN", "0s", "BACKUP_DIR", workDir.resolve("backups-clean").toString()));
        for (String run : List.of("first start: the first backup is taken", "second start")) {
            try (ExampleProcess service = start(workDir, env)) {
                service.awaitListening();
                String start = service.output();

                List<String> lines = start.lines().toList();
                assertThat(lines).as(run).filteredOn(l -> l.contains(" WARN ") || l.contains(" ERROR ")).isEmpty();
                assertThat(lines).as(run).filteredOn(l -> !l.contains("PostgresBackup - Backup ") || !run.startsWith("first"))
                        .hasSize(1).first().asString().contains("INFO ExampleService - resilience-example listening on");
                service.sigterm();
                assertThat(service.awaitExit(Duration.ofSeconds(60))).isZero();
            }
        }
    }

    @Test
    void warnsOnStandardErrorWhenNoSlf4jBackendIsBound() throws Exception {
        try (ExampleProcess service = start(workDir, Map.of("PORT", "http"),
                "-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider")) {

            assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(service.output()).contains("WARNING: no SLF4J backend is bound, so every log line");
        }
    }

    /**
     * {@link ExampleProcess#start} on the client compiler and the serial collector: each test here starts
     * the jar anew and stops it within seconds, where they cut the JVM's start-up work (issue 16). The
     * service behaves the same; ChaosIT, which runs it under load, keeps the JVM's defaults.
     */
    static ExampleProcess start(Path workDir, Map<String, String> env, String... jvmOptions) throws IOException {
        String[] options = Stream.concat(Stream.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), Stream.of(jvmOptions))
                .toArray(String[]::new);
        return ExampleProcess.start(workDir, env, options);
    }

    static void assertOneLineBadConfiguration(String log, String message) {
        assertThat(log).contains("ERROR ExampleService - Bad configuration: " + message);
        assertThat(log.lines().filter(l -> l.contains("ERROR") || l.startsWith("\tat ") || l.contains("Exception")).count())
                .as("one error line, no stack trace:%n%s", log).isEqualTo(1);
    }

    static Set<Path> embeddedFolders() throws IOException {
        if (!Files.isDirectory(EmbeddedDatabase.HOME)) {
            return new HashSet<>();
        }
        try (Stream<Path> folders = Files.list(EmbeddedDatabase.HOME)) {
            return folders.filter(Files::isDirectory).collect(Collectors.toCollection(HashSet::new));
        }
    }

    Map<String, String> external(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("DATABASE_URL", TestServices.postgresUrl(database));
        env.put("BACKUP_DIR", workDir.resolve("backups").toString());
        return env;
    }

    /** Every step in order, every part closed in reverse start order, {@code last} closed last, then the final line. */
    static void assertShutDownInOrder(String log, String last) {
        List<String> expected = List.of("step 1/5", "step 2/5", "step 3/5", "step 4/5", "step 5/5",
                "closed observability", "closed health checks", "closed http server", "closed request handlers",
                "closed rate limiting", "closed backups", "closed database pool");
        int at = -1;
        for (String step : expected) {
            int next = log.indexOf(step, at + 1);
            assertThat(next).as("'%s' after the previous step in:%n%s", step, log).isGreaterThan(at);
            at = next;
        }
        int closedLast = log.lastIndexOf("Graceful shutdown: closed ");
        assertThat(log.substring(closedLast)).as(log).startsWith("Graceful shutdown: closed " + last);
        assertThat(log.indexOf("Graceful shutdown complete")).as(log).isGreaterThan(closedLast);
    }
}
