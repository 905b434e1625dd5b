package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

class BackupCommandIT {

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private final String db = "resilience_backup_cli_" + suffix;
    private final String target = "resilience_backup_cli_target_" + suffix;
    @TempDir Path store;
    @TempDir Path keys;

    @BeforeEach
    void createDatabase() throws Exception {
        sql("postgres", "CREATE DATABASE " + db);
        sql(db, "CREATE TABLE items(id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 100)");
    }

    @AfterEach
    void dropDatabases() throws Exception {
        sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)", "DROP DATABASE IF EXISTS " + target + " WITH (FORCE)");
    }

    private String[] args(String command, String... more) {
        String[] base = {command, "-H", TestServices.postgresHost(), "-p", String.valueOf(TestServices.postgresPort()),
                "-d", db, "-s", store.toString(), "--key-file", keys.resolve("k").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void backupListVerifyDrillRestoreAndPruneExitZeroAndACorruptBackupExitsThree() throws Exception {
        Files.writeString(keys.resolve("k"), dev.resilience.backup.BackupEncryption.generateKey());

        assertThat(BackupCommand.execute(args("backup", "--globals"))).isZero();
        assertThat(BackupCommand.execute(args("list"))).isZero();
        assertThat(BackupCommand.execute(args("verify", "--drill", "--drill-table", "items"))).isZero();
        assertThat(BackupCommand.execute(args("restore", "--target", target))).isZero();
        assertThat(BackupCommand.execute(args("prune", "--dry-run"))).isZero();
        assertThat(BackupCommand.execute(args("export", "--artifact", "globals", "-o", keys.resolve("globals.sql").toString()))).isZero();
        assertThat(Files.readString(keys.resolve("globals.sql"))).contains("CREATE ROLE");

        Path dump;
        try (Stream<Path> files = Files.list(store)) {
            dump = files.filter(p -> p.toString().endsWith(".dump")).findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(dump.toFile(), "rw")) {
            raf.setLength(raf.length() / 2);
        }
        assertThat(BackupCommand.execute(args("verify"))).isEqualTo(BackupCommand.CORRUPT);
        assertThat(BackupCommand.execute(args("restore", "--target", target, "--replace"))).isEqualTo(BackupCommand.CORRUPT);
    }

    @Test
    void listPruneAndRestoreOfOneDatabaseIgnoreAnotherDatabaseInTheSameStore() throws Exception {
        Files.writeString(keys.resolve("k"), dev.resilience.backup.BackupEncryption.generateKey());
        String other = "resilience_backup_cli_other_" + suffix;
        sql("postgres", "CREATE DATABASE " + other);
        try {
            sql(other, "CREATE TABLE items(id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 3)");
            assertThat(BackupCommand.execute(args("backup"))).isZero();
            String[] otherBackup = args("backup");
            otherBackup[6] = other;
            assertThat(BackupCommand.execute(otherBackup)).isZero();

            StringWriter listed = new StringWriter();
            assertThat(new CommandLine(new BackupCommand()).setOut(new PrintWriter(listed)).execute(args("list"))).isZero();
            assertThat(BackupCommand.execute(args("prune", "--retain", "1,0,0"))).isZero();
            assertThat(BackupCommand.execute(args("restore", "--target", target))).isZero();

            assertThat(listed.toString()).contains(db + "-").doesNotContain(other + "-");
            try (Stream<Path> files = Files.list(store)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dump")))
                        .hasSize(2).anyMatch(n -> n.startsWith(db + "-")).anyMatch(n -> n.startsWith(other + "-"));
            }
            assertThat(count(target)).isEqualTo(100);
        } finally {
            sql("postgres", "DROP DATABASE IF EXISTS " + other + " WITH (FORCE)");
        }
    }

    private static int count(String database) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void sql(String database, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
