package dev.resilience.backup;

import dev.resilience.testkit.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Scratch databases named {@code resilience_backup_<purpose>_<random>} on the test server, dropped on
 * close, plus helpers the integration tests share.
 */
final class PgFixture implements AutoCloseable {

    private final List<String> created = new ArrayList<>();

    /** Creates a database with two small tables (orders with 500 rows, customers with 20). */
    String createSampleDatabase(String purpose) throws SQLException {
        String name = newName(purpose);
        execute("postgres", "CREATE DATABASE " + name);
        execute(name, "CREATE TABLE customers(id int PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 20) g",
                "CREATE TABLE orders(id bigint PRIMARY KEY, customer int REFERENCES customers, amount numeric(10,2), note text)",
                "INSERT INTO orders SELECT g, 1 + g % 20, g * 1.25, md5(g::text) FROM generate_series(1, 500) g");
        return name;
    }

    /** A fresh name that the fixture will drop on close (for restore targets). */
    String newName(String purpose) {
        String name = "resilience_backup_" + purpose + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        created.add(name);
        return name;
    }

    static void execute(String database, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The whole content of {@code table}, ordered, as one text: equal texts mean equal contents. */
    static String contents(String database, String table) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) || ':' || md5(string_agg(t::text, '|' ORDER BY t::text)) FROM " + table + " t")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static boolean exists(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
            return rs.next();
        }
    }

    static PostgresBackup.Builder builder(String database, Path store) {
        return PostgresBackup.builder().host(TestServices.postgresHost()).port(TestServices.postgresPort())
                .database(database).user("postgres").store(LocalDirectoryStore.of(store))
                .auditLog(store.resolve("audit.jsonl"));
    }

    /**
     * A folder with a {@code pg_dump} shell script running {@code body} (after answering --version
     * like the real one), and the real pg_restore and pg_dumpall beside it.
     */
    static Path fakePgDump(Path dir, String body) throws IOException {
        PgBinaries real = PgBinaries.locate();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("pg_dump");
        Files.writeString(script, "#!/bin/sh\n"
                + "if [ \"$1\" = \"--version\" ]; then exec " + real.pgDump() + " --version; fi\n"
                + "REAL_PG_DUMP=" + real.pgDump() + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(bin.resolve("pg_restore"), real.pgRestore());
        Files.createSymbolicLink(bin.resolve("pg_dumpall"), real.pgDumpall());
        return bin;
    }

    /** Drops every database the fixture made, and the copies a replacing restore kept of them. */
    @Override
    public void close() throws SQLException {
        for (String name : created) {
            for (String copy : databasesLike(name + "\\_replaced\\_%")) {
                execute("postgres", "DROP DATABASE IF EXISTS \"" + copy + "\" WITH (FORCE)");
            }
            execute("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** The databases whose name matches the LIKE {@code pattern}, by name. */
    static List<String> databasesLike(String pattern) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres"));
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1")) {
            ps.setString(1, pattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
