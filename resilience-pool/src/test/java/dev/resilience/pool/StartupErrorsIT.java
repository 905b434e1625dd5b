package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.pool.PoolStartupException.Reason;
import dev.resilience.testkit.FailingPostgresServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad configuration and credentials give errors that say what is wrong, and the password never shows
 * up in a message or log line. The shared test server trusts every local connection, so a wrong
 * password is answered by a stand-in server that speaks just enough of the PostgreSQL protocol to
 * reject it the way PostgreSQL does (SQL state 28P01).
 */
class StartupErrorsIT {

    @BeforeAll
    static void capture() {
        LogCapture.start();
    }

    @AfterAll
    static void passwordNeverLogged() {
        // the capture sees DEBUG lines, HikariCP's dump of the pool configuration included
        assertThat(LogCapture.linesContaining("DEBUG com.zaxxer.hikari.HikariConfig")).isNotEmpty();
        assertThat(LogCapture.linesContaining(TestDatabase.PASSWORD)).isEmpty();
    }

    @Test
    void wrongPasswordSaysTheCredentialsWereRejected() throws IOException {
        try (FailingPostgresServer server = FailingPostgresServer.rejectingPasswords()) {
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/app?sslmode=disable&gssEncMode=disable";

            PoolStartupException e = startFails(TestDatabase.smallPool(url, "it-bad-password").username("app"));

            assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
            assertThat(e.sqlState()).isEqualTo("28P01");
            assertThat(e).hasMessageContaining("rejected the credentials of user 'app'").hasMessageContaining("it-bad-password");
            assertThat(server.passwordsReceived()).contains(TestDatabase.PASSWORD);
            assertNoPasswordIn(e);
        }
    }

    @Test
    void unknownUserSaysTheCredentialsWereRejected() {
        PoolStartupException e = startFails(TestDatabase.smallPool(TestDatabase.url("postgres"), "it-bad-user")
                .username("resilience_pool_no_such_role"));

        assertThat(e.reason()).isEqualTo(Reason.BAD_CREDENTIALS);
        assertNoPasswordIn(e);
    }

    @Test
    void unreachableServerSaysItCannotBeReached() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        PoolStartupException e = startFails(TestDatabase.smallPool("jdbc:postgresql://127.0.0.1:" + closedPort + "/app", "it-unreachable"));

        assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE);
        assertThat(e).hasMessageContaining("cannot be reached").hasMessageContaining("127.0.0.1:" + closedPort);
        assertNoPasswordIn(e);
    }

    @Test
    void unknownDatabaseSaysSo() {
        PoolStartupException e = startFails(TestDatabase.smallPool(TestDatabase.url("resilience_pool_missing"), "it-no-db"));

        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_DATABASE);
        assertThat(e.sqlState()).isEqualTo("3D000");
        assertThat(e).hasMessageContaining("no database of that name");
    }

    @Test
    void malformedUrlSaysSoWithoutThePasswordInIt() {
        assertThatThrownBy(() -> TestDatabase.smallPool("jdbc:postgresql://db:notaport/app?password=" + TestDatabase.PASSWORD,
                "it-malformed").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url is malformed")
                .hasMessageContaining("password=***")
                .hasMessageNotContaining(TestDatabase.PASSWORD);
    }

    @Test
    void missingUrlSaysSo() {
        assertThatThrownBy(() -> ResilientDataSource.builder().poolName("it-missing").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url is missing");
        assertThatThrownBy(() -> ResilientDataSource.builder().url(null))
                .isInstanceOf(NullPointerException.class).hasMessage("url");
    }

    @Test
    void toStringNeverShowsThePassword() throws SQLException {
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url("postgres"), "it-tostring").minimumIdle(0).build()) {
            assertThat(db.toString()).contains("it-tostring").doesNotContain(TestDatabase.PASSWORD);
            int one = db.transaction(c -> TransactionsIT.queryInt(c, "SELECT 1"));
            assertThat(one).isEqualTo(1);
        }
    }

    private static PoolStartupException startFails(ResilientDataSource.Builder builder) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> builder.connectionTimeout(Duration.ofSeconds(5)).build().close());
        assertThat(thrown).isInstanceOf(PoolStartupException.class);
        return (PoolStartupException) thrown;
    }

    private static void assertNoPasswordIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(TestDatabase.PASSWORD);
            assertThat(t.toString()).doesNotContain(TestDatabase.PASSWORD);
        }
    }
}
