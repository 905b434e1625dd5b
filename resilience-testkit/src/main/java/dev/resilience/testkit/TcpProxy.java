package dev.resilience.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port that forwards to a real server and injects faults for real:
 * it can {@link #cutConnections() cut} every open connection, {@link #setLatency(Duration) delay}
 * traffic, {@link #blackhole() swallow} it (connections stay open, nothing arrives, like a network
 * partition), or {@link #refuseConnections() refuse} new connections.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
 *     String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
 *     ...
 *     proxy.cutConnections();   // the server seems to crash mid-transaction
 *     proxy.blackhole();        // the server seems to hang
 *     proxy.heal();             // back to normal
 * }
 * }</pre>
 *
 * <p>Thread-safe. Uses two threads per proxied connection; meant for tests, not production.
 */
public final class TcpProxy implements AutoCloseable {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long latencyNanos;
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + IDS.incrementAndGet() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy to {@code targetHost:targetPort}.
     *
     * @param targetHost the host to forward to
     * @param targetPort the port to forward to
     * @return the running proxy; close it after the test
     * @throws UncheckedIOException if no local port can be bound
     */
    public static TcpProxy start(String targetHost, int targetPort) {
        try {
            return new TcpProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a local port for the proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    /**
     * The loopback port clients connect to.
     *
     * @return the port
     */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * The loopback host clients connect to ({@code 127.0.0.1}).
     *
     * @return the host
     */
    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /**
     * How many client connections the proxy has accepted so far.
     *
     * @return the count, including closed ones
     */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Closes every open connection on both sides, as a crashed server or a reset network would. */
    public void cutConnections() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /**
     * Adds {@code latency} before each chunk of data is forwarded, in both directions.
     *
     * @param latency the added delay per chunk; zero for none
     */
    public void setLatency(Duration latency) {
        this.latencyNanos = latency.toNanos();
    }

    /** Keeps connections open (and accepts new ones) but forwards nothing: the peer seems to hang. */
    public void blackhole() {
        this.blackholed = true;
    }

    /** Closes new connections at once after accepting them (existing ones are left alone). */
    public void refuseConnections() {
        this.refusing = true;
    }

    /** Back to plain forwarding: no latency, no blackhole, new connections accepted. */
    public void heal() {
        this.latencyNanos = 0;
        this.blackholed = false;
        this.refusing = false;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cutConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Thread connector = new Thread(() -> connect(client), "tcp-proxy-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            sockets.add(client);
            sockets.add(upstream);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
        } catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        pump(client, upstream, "up");
        pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long latency = latencyNanos;
                    if (latency > 0) {
                        Thread.sleep(latency / 1_000_000, (int) (latency % 1_000_000));
                    }
                    while (blackholed && !from.isClosed()) {
                        Thread.sleep(5); // hold the data: the connection looks alive but silent
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (SocketException e) {
                // cut or closed by a peer
            } catch (IOException e) {
                // peer went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing for cleanup: nothing to do
        }
    }

    @Override
    public String toString() {
        return "TcpProxy{127.0.0.1:" + port() + " -> " + targetHost + ":" + targetPort
                + (blackholed ? ", blackholed" : "") + (refusing ? ", refusing" : "") + "}";
    }
}
