package dev.resilience.backup;

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
 * Speaks just enough of the PostgreSQL protocol to ask for a cleartext password and reject it with
 * the real server's error (SQLSTATE 28P01). The machine's PostgreSQL trusts 127.0.0.1, so a wrong
 * password is undetectable there; this lets the test see the real clients' (pgjdbc, libpq) behaviour
 * on a rejected password and check which password they sent.
 */
final class FakeAuthServer implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket socket;
    private final Thread acceptor;
    final List<String> passwordsReceived = new CopyOnWriteArrayList<>();

    FakeAuthServer() throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fake-postgres-auth");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                handle(new DataInputStream(client.getInputStream()), new DataOutputStream(client.getOutputStream()));
            } catch (IOException e) {
                // client gone or server closed: next connection
            }
        }
    }

    private void handle(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.writeByte('N');
                out.flush();
                continue;
            }
            in.skipNBytes(length - 8);   // startup parameters
            break;
        }
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(3);                  // AuthenticationCleartextPassword
        out.flush();
        if (in.readByte() != 'p') {
            return;
        }
        byte[] password = new byte[in.readInt() - 4];
        in.readFully(password);
        passwordsReceived.add(new String(password, 0, password.length - 1, StandardCharsets.UTF_8));
        byte[] fields = ("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"backup\"\0\0")
                .getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(fields.length + 4);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
