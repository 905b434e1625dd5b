package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resilience.backup.internal.Json;
import dev.resilience.testkit.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SeveralDatabasesIT {

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private final String first = "resilience_backup_multi_a_" + suffix;
    private final String second = "resilience_backup_multi_b_" + suffix;
    @TempDir Path store;

    @BeforeEach
    void createDatabases() throws Exception {
        for (String db : List.of(first, second)) {
            StatusCommandIT.sql("postgres", "CREATE DATABASE " + db);
            StatusCommandIT.sql(db, "CREATE TABLE items(id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 50)");
        }
    }

    @AfterEach
    void dropDatabases() throws Exception {
        StatusCommandIT.sql("postgres", "DROP DATABASE IF EXISTS " + first + " WITH (FORCE)",
                "DROP DATABASE IF EXISTS " + second + " WITH (FORCE)");
    }

    private String[] args(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "-H", TestServices.postgresHost(), "-p",
                String.valueOf(TestServices.postgresPort()), "-s", store.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** The names of the custom-format dumps in {@code folder} (shared by this package's CLI tests). */
    static List<String> dumps(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dump")).toList();
        }
    }

    @Test
    void oneRunBacksUpEachDatabaseIntoItsOwnFolderAndStatusReportsEach() throws Exception {
        assertThat(BackupCommand.execute(args("backup", "-d", first, "-d", second))).isZero();

        assertThat(dumps(store.resolve(first))).singleElement().asString().startsWith(first + "-");
        assertThat(dumps(store.resolve(second))).singleElement().asString().startsWith(second + "-");
        StringWriter out = new StringWriter();
        int status = BackupCommand.execute(new CommandLine(new BackupCommand()).setOut(new PrintWriter(out, true)),
                args("status", "-d", first, "-d", second, "--json"));
        assertThat(status).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode a = Json.MAPPER.readTree(lines.get(0));
        assertThat(a.get("database").asText()).isEqualTo(first);
        assertThat(a.get("state").asText()).isEqualTo("FRESH");
        assertThat(Json.MAPPER.readTree(lines.get(1)).get("database").asText()).isEqualTo(second);
        String[] listOne = {"list", "-H", TestServices.postgresHost(), "-p", String.valueOf(TestServices.postgresPort()),
                "-d", first, "-s", store.resolve(first).toString()};
        StringWriter listed = new StringWriter();
        assertThat(BackupCommand.execute(new CommandLine(new BackupCommand()).setOut(new PrintWriter(listed, true)), listOne)).isZero();
        assertThat(listed.toString()).contains(first + "-").doesNotContain(second + "-");
    }

    @Test
    void aFailingDatabaseDoesNotStopTheOthersAndTheRunExitsWithTheWorstCode() throws Exception {
        String missing = "resilience_backup_multi_missing_" + suffix;
        StringWriter err = new StringWriter();

        int code = BackupCommand.execute(new CommandLine(new BackupCommand()).setErr(new PrintWriter(err, true)),
                args("backup", "-d", first, "-d", missing, "-d", second));

        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(err.toString()).contains("error: " + missing + ": ");
        assertThat(dumps(store.resolve(first))).hasSize(1);
        assertThat(dumps(store.resolve(second))).hasSize(1);
        StringWriter statusOut = new StringWriter();
        int status = BackupCommand.execute(new CommandLine(new BackupCommand()).setOut(new PrintWriter(statusOut, true)),
                args("status", "-d", first, "-d", missing));
        assertThat(status).isEqualTo(BackupCommand.FAILED);
        assertThat(statusOut.toString()).contains(first + " FRESH").contains(missing + " NO_BACKUP");
    }

    @Test
    void allDatabasesListsNonTemplateDatabasesOnly() {
        ConnectionOptions options = new ConnectionOptions();
        options.host = TestServices.postgresHost();
        options.port = TestServices.postgresPort();

        List<String> all = options.allDatabases();

        assertThat(all).contains(first, second, "postgres").doesNotContain("template0", "template1");
    }

    @Test
    void statusOfAllDatabasesReportsEachNonTemplateDatabaseFromItsOwnFolder() throws Exception {
        assertThat(BackupCommand.execute(args("backup", "-d", first, "-d", second))).isZero();
        StringWriter out = new StringWriter();

        int code = BackupCommand.execute(new CommandLine(new BackupCommand()).setOut(new PrintWriter(out, true)),
                args("status", "--all-databases"));

        // the shared server holds other databases with no backup in this store: the run exits with the worst
        assertThat(code).isEqualTo(BackupCommand.FAILED);
        assertThat(out.toString()).contains(first + " FRESH").contains(second + " FRESH").contains("postgres NO_BACKUP")
                .doesNotContain("template0").doesNotContain("template1");
    }

    @Test
    void databaseAndAllDatabasesTogetherAreAUsageError() {
        assertThat(BackupCommand.execute(args("backup", "-d", first, "--all-databases"))).isEqualTo(BackupCommand.USAGE);
    }
}
