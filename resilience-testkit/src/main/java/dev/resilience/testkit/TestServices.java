package dev.resilience.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Finds the PostgreSQL and Redis servers that integration tests run against, in this order: the
 * environment ({@code RESILIENCE_TEST_POSTGRES_URL}, {@code RESILIENCE_TEST_REDIS_URI}), then a server
 * on localhost's standard port. When neither is there, the call fails with a message that says how to
 * provide one; integration tests never skip silently.
 *
 * <p>Thread-safe; stateless.
 */
public final class TestServices {

    /** Environment variable holding a JDBC URL, for example {@code jdbc:postgresql://db:5432/test?user=me}. */
    public static final String POSTGRES_URL_ENV = "RESILIENCE_TEST_POSTGRES_URL";
    /** Environment variable holding a Redis URI, for example {@code redis://127.0.0.1:6379}. */
    public static final String REDIS_URI_ENV = "RESILIENCE_TEST_REDIS_URI";

    private TestServices() {
    }

    /**
     * The JDBC URL of the test PostgreSQL server's {@code database}: the environment's server, else
     * {@code jdbc:postgresql://127.0.0.1:5432/<database>} as user {@code postgres}.
     *
     * @throws IllegalStateException when no server can be found, saying how to provide one
     */
    public static String postgresUrl(String database) {
        String fromEnv = System.getenv(POSTGRES_URL_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return withDatabase(fromEnv.trim(), database);
        }
        requireListening("PostgreSQL", "127.0.0.1", 5432, POSTGRES_URL_ENV,
                "jdbc:postgresql://host:5432/test?user=postgres",
                "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start");
        return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
    }

    /** The host of the test PostgreSQL server. */
    public static String postgresHost() {
        return uriOf(postgresUrl("postgres").substring("jdbc:".length())).getHost();
    }

    /** The port of the test PostgreSQL server. */
    public static int postgresPort() {
        int port = uriOf(postgresUrl("postgres").substring("jdbc:".length())).getPort();
        return port < 0 ? 5432 : port;
    }

    /**
     * The URI of the test Redis server: the environment's, else {@code redis://127.0.0.1:6379}.
     *
     * @throws IllegalStateException when no server can be found, saying how to provide one
     */
    public static String redisUri() {
        String fromEnv = System.getenv(REDIS_URI_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        requireListening("Redis", "127.0.0.1", 6379, REDIS_URI_ENV, "redis://host:6379",
                "redis-server --daemonize yes --port 6379");
        return "redis://127.0.0.1:6379";
    }

    /** True when something accepts TCP connections on {@code host:port} within a second. */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void requireListening(String what, String host, int port, String env, String example, String start) {
        if (!isListening(host, port)) {
            throw new IllegalStateException("No " + what + " for the integration tests: nothing listens on "
                    + host + ":" + port + " and " + env + " is not set. Set " + env + " (for example "
                    + example + ") or start a local server (for example: " + start + ").");
        }
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
