package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.resilience.backup.internal.Json;
import dev.resilience.testkit.TestServices;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StatusCommandIT {

    private final String db = "resilience_backup_status_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    @TempDir Path store;

    @BeforeEach
    void createDatabase() throws Exception {
        sql("postgres", "CREATE DATABASE " + db);
        sql(db, "CREATE TABLE items(id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 100)");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }

    private String[] args(String command, String... more) {
        String[] base = {command, "-H", TestServices.postgresHost(), "-p", String.valueOf(TestServices.postgresPort()),
                "-d", db, "-s", store.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private record Run(int code, String out) {
    }

    private Run run(String[] args) {
        StringWriter out = new StringWriter();
        int code = BackupCommand.execute(new CommandLine(new BackupCommand()).setOut(new PrintWriter(out, true)), args);
        return new Run(code, out.toString());
    }

    @Test
    void statusExitsZeroForAFreshVerifiedBackupAndReportsItAsJson() throws Exception {
        assertThat(BackupCommand.execute(args("backup"))).isZero();
        assertThat(BackupCommand.execute(args("backup"))).isZero();
        assertThat(BackupCommand.execute(args("verify"))).isZero();

        Run status = run(args("status", "--json"));

        assertThat(status.code()).isZero();
        JsonNode json = Json.MAPPER.readTree(status.out());
        assertThat(json.get("database").asText()).isEqualTo(db);
        assertThat(json.get("state").asText()).isEqualTo("FRESH");
        assertThat(json.get("verification").asText()).isEqualTo("PASSED");
        assertThat(json.get("lastGoodBackup").get("id").asText()).startsWith(db + "-");
        assertThat(json.get("ageSeconds").asLong()).isBetween(0L, 600L);
        assertThat(json.get("sizeTrend")).hasSize(2);
        assertThat(json.get("sizeTrend").get(1).asLong()).isEqualTo(json.get("lastGoodBackup").get("sizeBytes").asLong());
        assertThat(json.get("orphans")).isEmpty();
    }

    @Test
    void statusExitsOneWhenTheLastGoodBackupIsOlderThanMaxAge() {
        assertThat(BackupCommand.execute(args("backup"))).isZero();

        Run status = run(args("status", "--max-age", "PT0S"));

        assertThat(status.code()).isEqualTo(BackupCommand.FAILED);
        assertThat(status.out()).contains(db + " STALE").contains("newest verification never");
    }

    @Test
    void statusExitsOneWithNoBackup() throws Exception {
        Run status = run(args("status", "--json"));

        assertThat(status.code()).isEqualTo(BackupCommand.FAILED);
        assertThat(Json.MAPPER.readTree(status.out()).get("state").asText()).isEqualTo("NO_BACKUP");
    }

    @Test
    void statusExitsOneAndListJsonShowsFailedWhenTheNewestBackupWasProvedCorrupt() throws Exception {
        assertThat(BackupCommand.execute(args("backup"))).isZero();
        Path dump;
        try (Stream<Path> files = Files.list(store)) {
            dump = files.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(dump.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThat(BackupCommand.execute(args("verify"))).isEqualTo(BackupCommand.CORRUPT);
        Files.writeString(store.resolve(db + "-20200101T000000Z.dump"), "stray");

        Run status = run(args("status", "--json"));
        Run list = run(args("list", "--json"));

        assertThat(status.code()).isEqualTo(BackupCommand.FAILED);
        JsonNode json = Json.MAPPER.readTree(status.out());
        assertThat(json.get("state").asText()).isEqualTo("FAILED");
        assertThat(json.get("lastGoodBackup").isNull()).isTrue();
        assertThat(json.get("orphans")).hasSize(1);
        assertThat(list.code()).isZero();
        JsonNode catalog = Json.MAPPER.readTree(list.out());
        assertThat(catalog.get("database").asText()).isEqualTo(db);
        assertThat(catalog.get("backups")).hasSize(1);
        assertThat(catalog.get("backups").get(0).get("verification").asText()).isEqualTo("FAILED");
        assertThat(catalog.get("backups").get(0).get("id").asText() + ".dump").isEqualTo(dump.getFileName().toString());
        assertThat(catalog.get("orphans").get(0).asText()).isEqualTo(db + "-20200101T000000Z.dump");
    }

    static void sql(String database, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
