package dev.resilience.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in PostgreSQL server that speaks just enough of the wire protocol to refuse every login
 * the way a real server does, with the SQLSTATE and message you choose. Real clients (pgjdbc, libpq's
 * {@code pg_dump}) then show their real behaviour on a rejected login, which a local server with
 * {@code trust} authentication can never provoke.
 *
 * <pre>{@code
 * try (FailingPostgresServer server = FailingPostgresServer.rejectingPasswords()) {
 *     // connect to 127.0.0.1:server.port() with user "app" and a password
 *     // -> FATAL 28P01 password authentication failed for user "app"
 *     assertThat(server.passwordsReceived()).contains(password);
 * }
 * }</pre>
 *
 * <p>SSL and GSS encryption requests are declined, so clients fall back to plain TCP (or fail when
 * they require encryption). Connections are served one at a time. Thread-safe.
 */
public final class FailingPostgresServer implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final String USER_PLACEHOLDER = "{user}";

    private final ServerSocket socket;
    private final boolean askForPassword;
    private final String sqlState;
    private final String message;
    private final List<String> users = new CopyOnWriteArrayList<>();
    private final List<String> passwords = new CopyOnWriteArrayList<>();

    private FailingPostgresServer(boolean askForPassword, String sqlState, String message) throws IOException {
        this.askForPassword = askForPassword;
        this.sqlState = sqlState;
        this.message = message;
        this.socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "failing-postgres-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Asks every client for a cleartext password, records it, and rejects it with
     * {@code FATAL 28P01 password authentication failed for user "<user>"}, as PostgreSQL does for a
     * wrong password.
     *
     * @return a started server on a free loopback port; close it after the test
     */
    public static FailingPostgresServer rejectingPasswords() {
        return start(true, "28P01", "password authentication failed for user \"" + USER_PLACEHOLDER + "\"");
    }

    /**
     * Answers every login, right after the start-up message and without asking for a password, with
     * {@code FATAL <sqlState> <message>}; {@code {user}} in the message is replaced by the user the
     * client sent. E.g. {@code failingLogins("3D000", "database \"app\" does not exist")} or
     * {@code failingLogins("53300", "sorry, too many clients already")}.
     *
     * @param sqlState the SQLSTATE of the error, e.g. 3D000
     * @param message the error message; {user} is replaced by the user name
     * @return a started server on a free loopback port; close it after the test
     * @throws IllegalArgumentException when {@code sqlState} is not five characters
     */
    public static FailingPostgresServer failingLogins(String sqlState, String message) {
        if (sqlState == null || sqlState.length() != 5) {
            throw new IllegalArgumentException("sqlState must be five characters, was " + sqlState);
        }
        if (message == null) {
            throw new IllegalArgumentException("message must not be null");
        }
        return start(false, sqlState, message);
    }

    private static FailingPostgresServer start(boolean askForPassword, String sqlState, String message) {
        try {
            return new FailingPostgresServer(askForPassword, sqlState, message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the stand-in PostgreSQL server", e);
        }
    }

    /**
     * The loopback port it listens on.
     *
     * @return the port
     */
    public int port() {
        return socket.getLocalPort();
    }

    /**
     * The passwords clients sent, in order (only with {@link #rejectingPasswords()}).
     *
     * @return the passwords, an unmodifiable snapshot
     */
    public List<String> passwordsReceived() {
        return List.copyOf(passwords);
    }

    /**
     * The user names clients sent in their start-up messages, in order.
     *
     * @return the user names, an unmodifiable snapshot
     */
    public List<String> usersSeen() {
        return List.copyOf(users);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                answer(new DataInputStream(client.getInputStream()), new DataOutputStream(client.getOutputStream()));
            } catch (IOException e) {
                // the client went away or the server closed: next connection
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
        byte[] parameters = new byte[length - 8];
        in.readFully(parameters);
        String user = startupParameter(parameters, "user");
        users.add(user);
        if (askForPassword) {
            out.writeByte('R');
            out.writeInt(8);
            out.writeInt(3);   // AuthenticationCleartextPassword
            out.flush();
            if (in.readByte() != 'p') {
                return;
            }
            byte[] password = new byte[in.readInt() - 4];
            in.readFully(password);
            passwords.add(new String(password, 0, password.length - 1, StandardCharsets.UTF_8));
        }
        byte[] fields = ("SFATAL\0VFATAL\0C" + sqlState + "\0M" + message.replace(USER_PLACEHOLDER, user) + "\0\0")
                .getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(fields.length + 4);
        out.write(fields);
        out.flush();
    }

    /** The start-up message's parameters are NUL-terminated name/value pairs ended by an empty name. */
    private static String startupParameter(byte[] parameters, String name) {
        String[] parts = new String(parameters, StandardCharsets.UTF_8).split("\0");
        for (int i = 0; i + 1 < parts.length; i += 2) {
            if (parts[i].equals(name)) {
                return parts[i + 1];
            }
        }
        return "";
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a listening socket cannot lose anything
        }
    }
}
