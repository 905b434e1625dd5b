package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy against a real echo server on loopback: forwarding, cut, blackhole, latency, refusal, heal. */
class TcpProxyIT {

    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serveEcho, "echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket socket = echo.accept();
                Thread pump = new Thread(() -> {
                    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // peer went away
                    }
                }, "echo");
                pump.setDaemon(true);
                pump.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(proxy.host(), proxy.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        byte[] buffer = new byte[text.length()];
        int read = 0;
        while (read < buffer.length) {
            int n = socket.getInputStream().read(buffer, read, buffer.length - read);
            if (n < 0) {
                throw new IOException("connection closed after " + read + " bytes");
            }
            read += n;
        }
        return new String(buffer, StandardCharsets.UTF_8);
    }

    @Test
    void forwardsBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
        }
        assertThat(proxy.acceptedConnections()).isEqualTo(1);
    }

    @Test
    void cutConnectionsClosesOpenConnections() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "before")).isEqualTo("before");

            proxy.cutConnections();

            assertThatThrownBy(() -> {
                // the first write may still be buffered; the read sees the end of the stream or a reset
                roundTrip(socket, "after");
                roundTrip(socket, "after");
            }).isInstanceOf(IOException.class);
        }
        try (Socket fresh = connect()) {
            assertThat(roundTrip(fresh, "new connection")).isEqualTo("new connection");
        }
    }

    @Test
    void blackholeKeepsTheConnectionOpenButSilentUntilHealed() throws IOException {
        try (Socket socket = connect()) {
            proxy.blackhole();
            socket.setSoTimeout(300);
            socket.getOutputStream().write("lost?".getBytes(StandardCharsets.UTF_8));

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            proxy.heal();
            socket.setSoTimeout(5_000);
            byte[] held = socket.getInputStream().readNBytes(5);
            assertThat(new String(held, StandardCharsets.UTF_8)).isEqualTo("lost?");
        }
    }

    @Test
    void latencyDelaysEachChunk() throws IOException {
        proxy.setLatency(Duration.ofMillis(200));
        try (Socket socket = connect()) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
            // one delay on the way up and one on the way down
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void refuseConnectionsClosesNewConnectionsUntilHealed() throws IOException {
        proxy.refuseConnections();
        try (Socket refused = connect()) {
            assertThat(refused.getInputStream().read()).isEqualTo(-1);
        }

        proxy.heal();
        try (Socket accepted = connect()) {
            assertThat(roundTrip(accepted, "back")).isEqualTo("back");
        }
    }
}
