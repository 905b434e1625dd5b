package dev.resilience.backup.internal;

import dev.resilience.backup.BackupException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * How to reach the PostgreSQL server, for JDBC (version query, advisory lock, drills) and for the
 * client tools. The password is fetched from its supplier for each use and handed to tools only
 * through a temporary {@link PgPassFile}. Immutable and thread-safe.
 */
public final class ServerConnection {

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final Supplier<char[]> password;

    public ServerConnection(String host, int port, String database, String user, Supplier<char[]> password) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
    }

    public String database() {
        return database;
    }

    /** "user@host:port/database", for messages (no secret). */
    public String describe(String db) {
        return user + "@" + host + ":" + port + "/" + db;
    }

    /** A redactor for the current password. */
    public Redactor redactor() {
        char[] secret = password == null ? null : password.get();
        try {
            return new Redactor(secret == null ? null : new String(secret));
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    /**
     * A JDBC connection to {@code db}.
     *
     * @throws BackupException naming the server and the driver's (redacted) reason
     */
    public Connection open(String db) {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("ApplicationName", "resilience-backup");
        props.setProperty("connectTimeout", "10");
        char[] secret = password == null ? null : password.get();
        Redactor redactor = new Redactor(secret == null ? null : new String(secret));
        if (secret != null) {
            props.setProperty("password", new String(secret));
            Arrays.fill(secret, '\0');
        }
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + encode(db), props);
        } catch (SQLException e) {
            throw new BackupException("cannot connect to PostgreSQL as " + describe(db) + ": "
                    + redactor.redact(e.getMessage()));
        }
    }

    /** The connection options for a client tool, without any secret. */
    public List<String> toolArguments() {
        List<String> args = new ArrayList<>();
        args.add("--host=" + host);
        args.add("--port=" + port);
        args.add("--username=" + user);
        args.add("--no-password");
        return args;
    }

    /** Work that needs the client tools' environment (with {@code PGPASSFILE} when a password is set). */
    public interface ToolWork<T> {
        T run(Map<String, String> environment) throws IOException, InterruptedException;
    }

    /** Runs {@code work} with a tool environment; the temporary password file is deleted afterwards. */
    public <T> T withToolEnvironment(ToolWork<T> work) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "resilience-backup");
        char[] secret = password == null ? null : password.get();
        if (secret == null) {
            return work.run(env);
        }
        env.put("PGPASSWORD", null);
        try (PgPassFile passFile = PgPassFile.create(user, secret)) {
            env.put("PGPASSFILE", passFile.path().toString());
            return work.run(env);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    private static String encode(String db) {
        return java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
