package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.TestServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectiveRestoreIT {

    private final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    private final String db = "resilience_backup_sel_" + suffix;
    private final String target = "resilience_backup_sel_target_" + suffix;
    private final String role = "resilience_backup_sel_owner_" + suffix;
    @TempDir Path store;

    @BeforeEach
    void createSampleDatabaseOwnedByAnotherRole() throws Exception {
        StatusCommandIT.sql("postgres", "CREATE ROLE " + role + " NOLOGIN", "CREATE DATABASE " + db);
        StatusCommandIT.sql(db, "CREATE SCHEMA extra",
                "CREATE TABLE customers(id int PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 20) g",
                "CREATE TABLE orders(id bigint PRIMARY KEY, customer int REFERENCES customers, amount numeric(10,2))",
                "INSERT INTO orders SELECT g, 1 + g % 20, g * 1.25 FROM generate_series(1, 500) g",
                "CREATE TABLE extra.notes(id int)", "INSERT INTO extra.notes VALUES (1), (2)",
                "ALTER TABLE orders OWNER TO " + role, "GRANT SELECT ON customers TO " + role);
        assertThat(BackupCommand.execute(args("backup"))).isZero();
    }

    @AfterEach
    void dropAll() throws Exception {
        StatusCommandIT.sql("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)",
                "DROP DATABASE IF EXISTS " + target + " WITH (FORCE)", "DROP ROLE IF EXISTS " + role);
    }

    private String[] args(String command, String... more) {
        List<String> all = new ArrayList<>(List.of(command, "-H", TestServices.postgresHost(), "-p",
                String.valueOf(TestServices.postgresPort()), "-d", db, "-s", store.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void restoreOfOneTableRestoresThatTableOnly() throws Exception {
        assertThat(BackupCommand.execute(args("restore", "--target", target, "--table", "orders"))).isZero();

        assertThat(tables(target)).containsExactly("public.orders");
        assertThat(query(db, "SELECT count(*) || ':' || sum(amount) FROM orders"))
                .isEqualTo(query(target, "SELECT count(*) || ':' || sum(amount) FROM orders"));
    }

    @Test
    void restoreOfOneSchemaRestoresThatSchemaOnly() throws Exception {
        assertThat(BackupCommand.execute(args("restore", "--target", target, "--schema", "extra"))).isZero();

        assertThat(tables(target)).containsExactly("extra.notes");
        assertThat(query(target, "SELECT count(*) FROM extra.notes")).isEqualTo("2");
    }

    @Test
    void aFullRestoreKeepsOwnersAndPrivileges() throws Exception {
        assertThat(BackupCommand.execute(args("restore", "--target", target))).isZero();

        assertThat(query(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo(role);
        assertThat(query(target, "SELECT has_table_privilege('" + role + "', 'customers', 'SELECT')")).isEqualTo("t");
    }

    @Test
    void noOwnerAndNoAclRestoreWithoutOwnersAndPrivileges() throws Exception {
        assertThat(BackupCommand.execute(args("restore", "--target", target, "--no-owner", "--no-acl"))).isZero();

        assertThat(query(target, "SELECT tableowner FROM pg_tables WHERE tablename = 'orders'")).isEqualTo("postgres");
        assertThat(query(target, "SELECT has_table_privilege('" + role + "', 'customers', 'SELECT')")).isEqualTo("f");
        assertThat(tables(target)).containsExactly("extra.notes", "public.customers", "public.orders");
    }

    private static List<String> tables(String database) throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables"
                     + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String query(String database, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl(database)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
