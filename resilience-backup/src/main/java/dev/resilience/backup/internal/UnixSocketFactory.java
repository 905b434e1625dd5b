package dev.resilience.backup.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Lets pgjdbc reach PostgreSQL through its Unix-domain socket, with the JDK's own support (Java 16+)
 * rather than a native library: pgjdbc instantiates it by name ({@code socketFactory}) with the socket
 * file as its argument ({@code socketFactoryArg}) and connects the socket it returns, whatever TCP
 * address it asks for. Read timeouts ({@code setSoTimeout}) do not apply on such a socket (a blocking
 * channel has none); this module sets none. Thread-safe.
 */
public final class UnixSocketFactory extends SocketFactory {

    private final Path socketFile;

    /** @param socketFile the server's socket, {@code <directory>/.s.PGSQL.<port>} */
    public UnixSocketFactory(String socketFile) {
        this.socketFile = Path.of(socketFile);
    }

    /** libpq's socket file for a socket directory and port: {@code <directory>/.s.PGSQL.<port>}. */
    public static String socketFile(String directory, int port) {
        return Path.of(directory, ".s.PGSQL." + port).toString();
    }

    @Override
    public Socket createSocket() {
        return new UnixSocket(socketFile);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        Socket socket = createSocket();
        socket.connect(null);
        return socket;
    }

    private record Connected(SocketChannel channel, InputStream in, OutputStream out) {
    }

    /** A {@link Socket} face on a Unix-domain {@link SocketChannel}. Not thread-safe, like pgjdbc's use of it. */
    private static final class UnixSocket extends Socket {
        private static final int BUFFER_BYTES = 65536;
        private final Path socketFile;
        /** The channel and its streams, set together by connect(); null before. */
        private @Nullable Connected connected;
        private int soTimeout;
        private boolean closed;

        UnixSocket(Path socketFile) {
            this.socketFile = socketFile;
        }

        @Override
        public void connect(SocketAddress ignored) throws IOException {
            connect(ignored, 0);
        }

        @Override
        public void connect(SocketAddress ignored, int timeout) throws IOException {
            SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                opened.connect(UnixDomainSocketAddress.of(socketFile));
            } catch (IOException e) {
                opened.close();
                throw new IOException("cannot connect to the Unix socket " + socketFile + ": " + e.getMessage(), e);
            }
            connected = new Connected(opened, Channels.newInputStream(opened), Channels.newOutputStream(opened));
        }

        @Override
        public void bind(SocketAddress bindpoint) {
            // a client socket file needs no local address
        }

        @Override
        public boolean isConnected() {
            Connected c = connected;
            return c != null && c.channel().isConnected();
        }

        @Override
        public boolean isBound() {
            return isConnected();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return requireConnected().in();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return requireConnected().out();
        }

        private Connected requireConnected() throws IOException {
            Connected c = connected;
            if (c == null || closed) {
                throw new IOException("Unix socket " + socketFile + " is not connected");
            }
            return c;
        }

        @Override
        public synchronized void close() throws IOException {
            closed = true;
            Connected c = connected;
            if (c != null) {
                c.channel().close();
            }
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void shutdownInput() throws IOException {
            requireConnected().channel().shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            requireConnected().channel().shutdownOutput();
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            // no Nagle on a Unix socket
        }

        @Override
        public boolean getTcpNoDelay() {
            return true;
        }

        @Override
        public void setKeepAlive(boolean on) {
            // no keep-alive on a Unix socket
        }

        @Override
        public boolean getKeepAlive() {
            return false;
        }

        @Override
        public synchronized void setSoTimeout(int timeout) {
            soTimeout = timeout;
        }

        @Override
        public synchronized int getSoTimeout() {
            return soTimeout;
        }

        @Override
        public synchronized void setSendBufferSize(int size) {
            // the kernel's default applies
        }

        @Override
        public synchronized int getSendBufferSize() {
            return BUFFER_BYTES;
        }

        @Override
        public synchronized void setReceiveBufferSize(int size) {
            // the kernel's default applies
        }

        @Override
        public synchronized int getReceiveBufferSize() {
            return BUFFER_BYTES;
        }

        @Override
        public String toString() {
            return "UnixSocket[" + socketFile + "]";
        }
    }
}
