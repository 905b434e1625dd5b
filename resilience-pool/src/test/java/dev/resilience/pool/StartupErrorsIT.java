package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.pool.PoolStartupException.Reason;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        try (PasswordRejectingServer server = new PasswordRejectingServer()) {
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
        assertThatThrownBy(() -> TestDatabase.smallPool(null, "it-missing").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url is missing");
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

    /** Asks for a cleartext password and rejects it with PostgreSQL's FATAL 28P01. */
    private static final class PasswordRejectingServer implements AutoCloseable {
        private static final int SSL_REQUEST = 80877103;
        private static final int GSS_REQUEST = 80877104;
        private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final List<String> passwords = new ArrayList<>();
        private final Thread acceptor;

        PasswordRejectingServer() throws IOException {
            acceptor = new Thread(this::serve, "password-rejecting-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        synchronized List<String> passwordsReceived() {
            return new ArrayList<>(passwords);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    answer(new DataInputStream(socket.getInputStream()), new DataOutputStream(socket.getOutputStream()));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }

        private void answer(DataInputStream in, DataOutputStream out) throws IOException {
            int length = in.readInt();
            int code = in.readInt();
            while (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.writeByte('N');
                out.flush();
                length = in.readInt();
                code = in.readInt();
            }
            in.skipNBytes(length - 8); // the startup parameters
            out.writeByte('R'); // AuthenticationCleartextPassword
            out.writeInt(8);
            out.writeInt(3);
            out.flush();
            if (in.readByte() != 'p') {
                return;
            }
            byte[] password = new byte[in.readInt() - 4];
            in.readFully(password);
            synchronized (this) {
                passwords.add(new String(password, 0, password.length - 1, StandardCharsets.UTF_8));
            }
            byte[] fields = ("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"app\"\0\0")
                    .getBytes(StandardCharsets.UTF_8);
            out.writeByte('E');
            out.writeInt(fields.length + 4);
            out.write(fields);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
