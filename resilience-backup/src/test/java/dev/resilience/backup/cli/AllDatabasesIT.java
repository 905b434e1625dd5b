package dev.resilience.backup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup --all-databases} on a cluster of the test's own (so "all" is a set the test knows, not
 * whatever the shared server holds): one run backs up every database into its own folder, and each
 * backup then verifies and restores to the rows it was taken from.
 */
class AllDatabasesIT {

    private static PostgresCluster cluster;
    @TempDir Path store;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.start();
        cluster.createDatabase("orders");
        cluster.psql("orders", "CREATE TABLE orders(id int PRIMARY KEY, note text);"
                + " INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 300) g");
        cluster.createDatabase("billing");
        cluster.psql("billing", "CREATE TABLE invoices(id int PRIMARY KEY, cents bigint);"
                + " INSERT INTO invoices SELECT g, g * 100 FROM generate_series(1, 120) g");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private String[] args(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(more));
        all.addAll(List.of("-H", cluster.host(), "-p", String.valueOf(cluster.port())));
        return all.toArray(String[]::new);
    }


    @Test
    void oneRunBacksUpEveryDatabaseAndEachRestoresToItsOwnRows() throws Exception {
        int code = BackupCommand.execute(args("backup", "--all-databases", "-s", store.toString()));

        assertThat(code).isZero();
        assertThat(SeveralDatabasesIT.dumps(store.resolve("orders"))).singleElement().asString().startsWith("orders-");
        assertThat(SeveralDatabasesIT.dumps(store.resolve("billing"))).singleElement().asString().startsWith("billing-");
        assertThat(SeveralDatabasesIT.dumps(store.resolve("postgres"))).singleElement().asString().startsWith("postgres-");
        assertThat(store.resolve("template1")).doesNotExist();

        for (String db : List.of("orders", "billing")) {
            Path folder = store.resolve(db);
            assertThat(BackupCommand.execute(args("verify", "-d", db, "-s", folder.toString(), "latest"))).as("verify " + db).isZero();
            assertThat(BackupCommand.execute(args("restore", "-d", db, "-s", folder.toString(), "--target", db + "_restored", "latest")))
                    .as("restore " + db).isZero();
        }
        assertThat(cluster.psql("orders_restored", "SELECT count(*), sum(id), max(note) FROM orders").trim())
                .isEqualTo(cluster.psql("orders", "SELECT count(*), sum(id), max(note) FROM orders").trim())
                .startsWith("300|");
        assertThat(cluster.psql("billing_restored", "SELECT count(*), sum(cents) FROM invoices").trim())
                .isEqualTo("120|726000");
    }

    @Test
    void anEncryptedBackupExportedToAFileRestoresWithSeveralJobsAsTheReadmeSays() throws Exception {
        Path key = store.resolve("backup.key");
        Files.writeString(key, dev.resilience.backup.BackupEncryption.generateKey());
        Path folder = store.resolve("encrypted");
        Path exported = store.resolve("orders.dump");
        assertThat(BackupCommand.execute(args("backup", "-d", "orders", "-s", folder.toString(), "--key-file", key.toString()))).isZero();
        assertThat(BackupCommand.execute(args("export", "-d", "orders", "-s", folder.toString(), "--key-file", key.toString(),
                "--artifact", "dump", "-o", exported.toString(), "latest"))).isZero();
        cluster.createDatabase("orders_parallel");

        Process restore = new ProcessBuilder(dev.resilience.backup.PgBinaries.locate().pgRestore().toString(), "--jobs=2",
                "--host=" + cluster.host(), "--port=" + cluster.port(), "--username=postgres", "--dbname=orders_parallel",
                "--exit-on-error", exported.toString()).redirectErrorStream(true).start();
        String output = new String(restore.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(restore.waitFor()).as(output).isZero();
        assertThat(cluster.psql("orders_parallel", "SELECT count(*), sum(id) FROM orders").trim()).isEqualTo("300|45150");
    }
}
