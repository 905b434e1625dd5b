package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real client (libpq's psql) against the stand-in: it sees PostgreSQL's own errors. */
class FailingPostgresServerIT {

    @Test
    void rejectsThePasswordAsPostgresDoesAndRecordsIt() throws Exception {
        try (FailingPostgresServer server = FailingPostgresServer.rejectingPasswords()) {
            String printed = psql(server.port(), "app", "s3cret");

            assertThat(printed).contains("password authentication failed for user \"app\"");
            assertThat(server.passwordsReceived()).containsExactly("s3cret");
            assertThat(server.usersSeen()).containsExactly("app");
        }
    }

    @Test
    void failsLoginsWithTheChosenSqlStateWithoutAskingForAPassword() throws Exception {
        try (FailingPostgresServer server = FailingPostgresServer.failingLogins("53300", "sorry, too many clients already")) {
            String printed = psql(server.port(), "app", "s3cret");

            assertThat(printed).contains("sorry, too many clients already");
            assertThat(server.passwordsReceived()).isEmpty();
        }
    }

    @Test
    void aSqlStateOfTheWrongLengthIsRefused() {
        assertThatThrownBy(() -> FailingPostgresServer.failingLogins("533", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sqlState");
    }

    private static String psql(int port, String user, String password) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-U", user, "-d", "app", "-c", "SELECT 1")).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGSSLMODE", "disable");
        builder.environment().put("PGGSSENCMODE", "disable");
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
