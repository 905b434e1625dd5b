package dev.resilience.backup.internal;

import dev.resilience.backup.BackupException;
import java.util.Objects;
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
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
    private final @Nullable Supplier<char[]> password;
    private final Set<String> secretVariables;
    private final @Nullable WorkFolder work;

    /**
     * @param secretVariables environment variables that carried a secret (a password, a key): removed from
     *                        every tool's environment so no child process inherits them
     * @param work            where the temporary password files go; null for a connection that only opens JDBC
     *                        connections and runs no tool
     */
    public ServerConnection(String host, int port, String database, String user, @Nullable Supplier<char[]> password,
                            Set<String> secretVariables, @Nullable WorkFolder work) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.secretVariables = Set.copyOf(secretVariables);
        this.work = work;
    }

    /** "host:port" as configured: the server a manifest records, so a store shared by servers keeps them apart. */
    public String server() {
        return host + ":" + port;
    }

    /** The private folder for the tools' scratch files. */
    public WorkFolder work() {
        return Objects.requireNonNull(work, "this connection runs no tools: it was made without a work folder");
    }

    public String database() {
        return database;
    }

    /** "user@host:port/database", for messages (no secret). */
    public String describe(String db) {
        return user + "@" + host + ":" + port + "/" + db;
    }

    /** A redactor for the current password. */
    public Redaction redactor() {
        char[] secret = password == null ? null : password.get();
        try {
            return new Redaction(secret == null ? null : new String(secret));
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
        Redaction redactor = new Redaction(secret == null ? null : new String(secret));
        if (secret != null) {
            props.setProperty("password", new String(secret));
            Arrays.fill(secret, '\0');
        }
        String address = host + ":" + port;
        if (isSocketDirectory(host)) {
            // libpq's convention: a host that is an absolute path names the folder of the server's socket
            props.setProperty("socketFactory", UnixSocketFactory.class.getName());
            props.setProperty("socketFactoryArg", UnixSocketFactory.socketFile(host, port));
            address = "localhost:" + port;
        }
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + address + "/" + encode(db), props);
        } catch (SQLException e) {
            throw new BackupException("cannot connect to PostgreSQL as " + describe(db) + ": "
                    + redactor.redact(String.valueOf(e.getMessage())));
        }
    }

    /** libpq's convention: a host starting with a slash is the directory of the server's Unix socket. */
    public static boolean isSocketDirectory(String host) {
        return host.startsWith("/");
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

    /** Work with no result that needs the client tools' environment. */
    public interface ToolAction {
        void run(Map<String, String> environment) throws IOException, InterruptedException;
    }

    /**
     * The changes to apply to a child's inherited environment: every variable that carried a secret is
     * removed (a null value), and {@code PGPASSWORD} too when a password is configured.
     */
    public Map<String, String> scrubbedEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "resilience-backup");
        secretVariables.forEach(name -> env.put(name, null));
        if (password != null) {
            env.put("PGPASSWORD", null);
        }
        return env;
    }

    /** Runs {@code task} with a tool environment; the temporary password file is deleted afterwards. */
    public <T> T withToolEnvironment(ToolWork<T> task) throws IOException, InterruptedException {
        Map<String, String> env = scrubbedEnvironment();
        char[] secret = password == null ? null : password.get();
        if (secret == null) {
            return task.run(env);
        }
        try (PgPassFile passFile = PgPassFile.create(work(), user, secret)) {
            env.put("PGPASSFILE", passFile.path().toString());
            return task.run(env);
        } finally {
            Arrays.fill(secret, '\0');
        }
    }

    /** Runs {@code task} with a tool environment; the temporary password file is deleted afterwards. */
    public void runWithToolEnvironment(ToolAction task) throws IOException, InterruptedException {
        withToolEnvironment(env -> {
            task.run(env);
            return Boolean.TRUE;
        });
    }

    private static String encode(String db) {
        return java.net.URLEncoder.encode(db, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
