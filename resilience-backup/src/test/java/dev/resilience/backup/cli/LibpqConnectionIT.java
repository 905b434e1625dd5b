package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.PostgresCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libpq's conventions the CLI honours, checked by running the CLI as its own process with only the
 * environment libpq users set: a Unix-socket folder as host, the password from a password file or from a
 * service. The cluster is the test's own and asks user {@code resilience_pw} for a SCRAM password on
 * its socket and over TCP, so a connection that does not find the password fails.
 */
class LibpqConnectionIT {

    private static final String USER = "resilience_pw";
    private static final String PASSWORD = "it-pw:with\\colon-4711";
    private static PostgresCluster cluster;
    private static String socketDirectory;
    @TempDir Path home;
    @TempDir Path store;

    @BeforeAll
    static void startClusterThatAsksForPasswords() throws IOException {
        cluster = PostgresCluster.start();
        socketDirectory = cluster.psql("postgres", "SHOW unix_socket_directories").trim();
        Path hba = Path.of(socketDirectory, "password_hba.conf");
        Files.writeString(hba, "host all postgres 127.0.0.1/32 trust\n"
                + "local all all scram-sha-256\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n");
        Files.setPosixFilePermissions(hba, PosixFilePermissions.fromString("rw-r--r--"));
        cluster.psql("postgres", "ALTER SYSTEM SET hba_file = '" + hba + "'");
        cluster.restart();
        cluster.psql("postgres", "CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD.replace("'", "''") + "'");
        cluster.createDatabase("shop");
        cluster.psql("shop", "CREATE TABLE items(id int PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 40)");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void backsUpThroughTheUnixSocketNamedByPghostWithThePasswordFromPgpassfile() throws Exception {
        Path passFile = ownerOnly(home.resolve("pgpass"), "# host:port:database:user:password\n"
                + "127.0.0.1:*:*:" + USER + ":wrong\n"
                + socketDirectory + ":" + cluster.port() + ":shop:" + USER + ":" + PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
        Map<String, String> env = Map.of("PGHOST", socketDirectory, "PGPORT", String.valueOf(cluster.port()),
                "PGUSER", USER, "PGDATABASE", "shop", "PGPASSFILE", passFile.toString());

        Result backup = cli(env, "backup", "-s", store.toString());

        assertThat(backup.exitCode).as(backup.output).isZero();
        assertThat(SeveralDatabasesIT.dumps(store)).singleElement().asString().startsWith("shop-");
        assertThat(backup.output).doesNotContain(PASSWORD);
        Result verify = cli(env, "verify", "-s", store.toString(), "--drill", "--drill-table", "items", "latest");
        assertThat(verify.exitCode).as(verify.output).isZero();
    }

    @Test
    void takesHostPortUserDatabaseAndPasswordFromTheService() throws Exception {
        Path services = home.resolve("pg_service.conf");
        Files.writeString(services, "[shop_backup]\nhost=127.0.0.1\nport=" + cluster.port() + "\nuser=" + USER
                + "\ndbname=shop\npassword=" + PASSWORD + "\n");

        Result backup = cli(Map.of("PGSERVICEFILE", services.toString(), "PGSERVICE", "shop_backup"), "backup", "-s", store.toString());

        assertThat(backup.exitCode).as(backup.output).isZero();
        assertThat(SeveralDatabasesIT.dumps(store)).singleElement().asString().startsWith("shop-");
        assertThat(backup.output).doesNotContain(PASSWORD);
    }

    @Test
    void withoutAPasswordTheServerRefusesAndTheErrorSaysSo() throws Exception {
        Result backup = cli(Map.of("PGHOST", socketDirectory, "PGPORT", String.valueOf(cluster.port()), "PGUSER", USER,
                "PGDATABASE", "shop"), "backup", "-s", store.toString());

        assertThat(backup.exitCode).as(backup.output).isEqualTo(BackupCommand.FAILED);
        assertThat(backup.output).contains("password");
        assertThat(SeveralDatabasesIT.dumps(store)).isEmpty();
    }

    private static Path ownerOnly(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }


    private record Result(int exitCode, String output) {
    }

    /**
     * Runs the CLI in a JVM of its own with {@code environment} on top of this one's, less every libpq
     * variable and with an empty home folder, so no ~/.pgpass or service of the machine takes part.
     */
    private Result cli(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home, BackupCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        new HashMap<>(env).keySet().stream().filter(name -> name.startsWith("PG")).forEach(env::remove);
        env.put("HOME", home.toString());
        env.putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
