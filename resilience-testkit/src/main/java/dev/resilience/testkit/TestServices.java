package dev.resilience.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Finds the PostgreSQL and Redis servers that integration tests run against, in this order: the
 * environment ({@code RESILIENCE_TEST_POSTGRES_URL}, {@code RESILIENCE_TEST_REDIS_URI}), then a server
 * on localhost's standard port, then a container ({@code postgres:15-alpine}, {@code redis:7-alpine})
 * started with Testcontainers, once per JVM, when {@code org.testcontainers:testcontainers} is on the test
 * classpath (the testkit declares it optional: add it to your test scope to get this step) and Docker
 * runs. When none of these is there, the call fails with a message that names all three ways to provide
 * a server; integration tests never skip silently.
 *
 * <p>Thread-safe.
 */
public final class TestServices {

    /** Environment variable holding a JDBC URL, for example {@code jdbc:postgresql://db:5432/test?user=me}. */
    public static final String POSTGRES_URL_ENV = "RESILIENCE_TEST_POSTGRES_URL";
    /** Environment variable holding a Redis URI, for example {@code redis://127.0.0.1:6379}. */
    public static final String REDIS_URI_ENV = "RESILIENCE_TEST_REDIS_URI";

    private static final String LOCALHOST = "127.0.0.1";
    private static final TestServices SYSTEM = new TestServices(System::getenv, TestServices::isListening,
            containers(TestServices.class.getClassLoader()));

    private final Function<String, String> environment;
    private final BiPredicate<String, Integer> listening;
    private final Containers containers;

    /** Looks in {@code environment}, then asks {@code listening} about local ports, then {@code containers}. */
    TestServices(Function<String, String> environment, BiPredicate<String, Integer> listening, Containers containers) {
        this.environment = environment;
        this.listening = listening;
        this.containers = containers;
    }

    /** Testcontainers when {@code loader} sees it; checked by name so that nothing loads it otherwise. */
    static Containers containers(ClassLoader loader) {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Containers.unavailable("org.testcontainers:testcontainers is not on the test classpath");
        }
        return new TestcontainersServers();
    }

    /**
     * The JDBC URL of the test PostgreSQL server's {@code database}: the environment's server, else
     * {@code jdbc:postgresql://127.0.0.1:5432/<database>} as user {@code postgres}, else a
     * {@code postgres:15-alpine} container's (user {@code postgres}, trust authentication, databases
     * {@code postgres}, {@code test} and {@code root}).
     *
     * @param database the database name
     * @return the JDBC URL, user included
     * @throws IllegalStateException when no server can be found, saying how to provide one
     */
    public static String postgresUrl(String database) {
        return SYSTEM.findPostgresUrl(database);
    }

    /**
     * The host of the test PostgreSQL server.
     *
     * @return the host name or address
     */
    public static String postgresHost() {
        return uriOf(postgresUrl("postgres").substring("jdbc:".length())).getHost();
    }

    /**
     * The port of the test PostgreSQL server.
     *
     * @return the port
     */
    public static int postgresPort() {
        int port = uriOf(postgresUrl("postgres").substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    /**
     * The URI of the test Redis server: the environment's, else {@code redis://127.0.0.1:6379}, else a
     * {@code redis:7-alpine} container's.
     *
     * @return the Redis URI
     * @throws IllegalStateException when no server can be found, saying how to provide one
     */
    public static String redisUri() {
        return SYSTEM.findRedisUri();
    }

    /**
     * A loopback port nothing listens on right now, for a server a test starts (or to point a client at
     * nothing). Another process may take it before the test does; on a test machine that is rare.
     *
     * @return a port that was free when asked
     * @throws java.io.UncheckedIOException when no port can be opened
     */
    public static int freeLoopbackPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("no free loopback port", e);
        }
    }

    /**
     * True when something accepts TCP connections on {@code host:port} within a second.
     *
     * @param host the host to try
     * @param port the port to try
     * @return true when a connection was accepted
     */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String findPostgresUrl(String database) {
        String fromEnv = environment.apply(POSTGRES_URL_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return withDatabase(fromEnv.trim(), database);
        }
        if (listening.test(LOCALHOST, 5432)) {
            return "jdbc:postgresql://" + LOCALHOST + ":5432/" + database + "?user=postgres";
        }
        String noContainer = containers.unavailableReason();
        if (noContainer == null) {
            return containers.postgresUrl(database);
        }
        throw missing("PostgreSQL", 5432, POSTGRES_URL_ENV, "jdbc:postgresql://host:5432/test?user=postgres",
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", "postgres:15-alpine",
                noContainer);
    }

    String findRedisUri() {
        String fromEnv = environment.apply(REDIS_URI_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        if (listening.test(LOCALHOST, 6379)) {
            return "redis://" + LOCALHOST + ":6379";
        }
        String noContainer = containers.unavailableReason();
        if (noContainer == null) {
            return containers.redisUri();
        }
        throw missing("Redis", 6379, REDIS_URI_ENV, "redis://host:6379", "redis-server --daemonize yes --port 6379",
                "redis:7-alpine", noContainer);
    }

    private static IllegalStateException missing(String what, int port, String env, String example, String start,
            String image, String noContainer) {
        return new IllegalStateException("No " + what + " for the integration tests: " + env + " is not set, nothing"
                + " listens on " + LOCALHOST + ":" + port + " and no container can be started (" + noContainer
                + "). Provide one in any of three ways: set " + env + " (for example " + example + "); start a"
                + " local server (for example: " + start + "); or run Docker and add org.testcontainers:testcontainers"
                + " to the test classpath, so that a " + image + " container is started.");
    }

    private static String withDatabase(String jdbcUrl, String database) {
        URI uri = uriOf(jdbcUrl.substring("jdbc:".length()));
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String authority = uri.getRawAuthority();
        return "jdbc:" + uri.getScheme() + "://" + authority + "/" + database + query;
    }

    private static URI uriOf(String text) {
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(POSTGRES_URL_ENV + " is not a valid JDBC URL: " + e.getMessage(), e);
        }
    }
}
