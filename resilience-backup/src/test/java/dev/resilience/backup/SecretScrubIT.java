package dev.resilience.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.backup.cli.BackupCommand;
import dev.resilience.testkit.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pg_dump's environment ({@code /proc/<pid>/environ}) holds no variable that carried a secret. */
class SecretScrubIT {

    private static final String PASSWORD_VAR = "RESILIENCE_BACKUP_IT_PASSWORD";
    private static final String KEY_VAR = "RESILIENCE_BACKUP_IT_KEY";
    private final String db = "resilience_backup_scrub_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    @TempDir Path store;
    @TempDir Path work;

    @BeforeEach
    void createDatabase() throws Exception {
        sql("CREATE DATABASE " + db);
    }

    @AfterEach
    void dropDatabase() throws Exception {
        sql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }

    @Test
    void neitherThePasswordNorTheKeyVariableReachesPgDump() throws Exception {
        String password = System.getenv(PASSWORD_VAR);
        String key = System.getenv(KEY_VAR);
        assertThat(password).as(PASSWORD_VAR + " must be set by the failsafe configuration").isNotBlank();
        assertThat(key).as(KEY_VAR + " must be set by the failsafe configuration").isNotBlank();
        Path environ = work.resolve("pg_dump.environ");
        Path bin = PgFixture.fakePgDump(work, "tr '\\0' '\\n' < /proc/$$/environ > " + environ + "\nexec \"$REAL_PG_DUMP\" \"$@\"");

        int code = BackupCommand.execute("backup", "-H", TestServices.postgresHost(), "-p",
                String.valueOf(TestServices.postgresPort()), "-d", db, "-s", store.toString(), "--pg-bin", bin.toString(),
                "--password-env", PASSWORD_VAR, "--key-env", KEY_VAR);

        assertThat(code).isZero();
        String seen = Files.readString(environ);
        assertThat(seen).contains("PGPASSFILE=").doesNotContain(password).doesNotContain(key)
                .doesNotContain(PASSWORD_VAR + "=").doesNotContain(KEY_VAR + "=").doesNotContain("PGPASSWORD=");
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
