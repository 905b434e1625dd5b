package dev.resilience.examples;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Where the service's PostgreSQL database is: host, port, database, user and password. Built from
 * {@code DATABASE_URL} or the libpq {@code PG*} variables, or from the embedded server.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the password.
 */
public record DatabaseConfig(String host, int port, String database, String user, String password, String query) {

    /** Validates every part; {@code password} and {@code query} may be empty. */
    public DatabaseConfig {
        requireText(host, "host");
        requireText(database, "database");
        requireText(user, "user");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("database port must be 1..65535 but was " + port);
        }
        password = Objects.requireNonNullElse(password, "");
        query = Objects.requireNonNullElse(query, "");
    }

    /**
     * Parses {@code postgres://user:password@host:port/database?params} ({@code postgresql://} and
     * {@code jdbc:postgresql://} too; user and password may also come as {@code user=} / {@code password=}
     * parameters). The message of the exception names what is wrong but never repeats the URL, which
     * may hold a password.
     *
     * @throws IllegalArgumentException when the URL is not a PostgreSQL URL with a host and a database
     */
    public static DatabaseConfig fromUrl(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:")) {
            text = text.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a valid URL (value not shown: it may hold a password)");
        }
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgres://, postgresql:// or jdbc:postgresql:// but its scheme was "
                    + uri.getScheme());
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("DATABASE_URL has no database name (postgres://user@host:5432/<database>)");
        }
        String user = "postgres";
        String password = "";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : "";
        }
        StringBuilder rest = new StringBuilder();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                String value = kv.length > 1 ? decode(kv[1]) : "";
                switch (kv[0]) {
                    case "user" -> user = value;
                    case "password" -> password = value;
                    default -> rest.append(rest.length() == 0 ? "" : "&").append(pair);
                }
            }
        }
        return new DatabaseConfig(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), decode(database), user, password,
                rest.toString());
    }

    /**
     * Builds the configuration from libpq's variables: {@code PGHOST} (required), {@code PGPORT} (5432),
     * {@code PGDATABASE} (the user name), {@code PGUSER} ({@code postgres}), {@code PGPASSWORD} (none).
     *
     * @throws IllegalArgumentException when {@code PGPORT} is not a port number
     */
    public static DatabaseConfig fromPgVariables(Map<String, String> env) {
        String user = env.getOrDefault("PGUSER", "postgres");
        String port = env.getOrDefault("PGPORT", "5432");
        int portNumber;
        try {
            portNumber = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PGPORT must be a port number but was '" + port + "'");
        }
        return new DatabaseConfig(env.get("PGHOST"), portNumber, env.getOrDefault("PGDATABASE", user), user,
                env.get("PGPASSWORD"), "");
    }

    /** The JDBC URL, without user or password (pass those separately so they stay out of logs). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    /** Where the database is, for logs: {@code user@host:port/database}, without the password. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("database " + name + " must not be empty");
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
