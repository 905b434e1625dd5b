package dev.resilience.pool.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Properties;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The physical connection factory handed to HikariCP: opens each connection with the JDBC driver,
 * asking the password supplier afresh every time (so rotated passwords are picked up) and clearing
 * the returned array afterwards. The password is never kept in HikariCP's configuration, so it can
 * not leak through its logging of the configuration.
 *
 * <p>Thread-safe.
 */
public final class DriverConnectionSource implements DataSource {

    private final Driver driver;
    private final String url;
    private final @Nullable String username;
    private final @Nullable Supplier<char[]> password;
    private final Properties properties;
    private volatile int loginTimeoutSeconds;
    private volatile ConnectFailures connectFailures = (failure, token) -> { };
    private volatile LongSupplier connectToken = () -> 0;
    /** The pool's physical connections, weakly: HikariCP owns them, this only aborts them in an outage. */
    private final Set<Connection> opened = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param driver the driver that accepts {@code url}
     * @param url the JDBC URL
     * @param username the user, or null to take it from the URL
     * @param password the password supplier, or null to take it from the URL
     * @param properties further driver properties (copied)
     */
    public DriverConnectionSource(Driver driver, String url, @Nullable String username, @Nullable Supplier<char[]> password, Properties properties) {
        this.driver = driver;
        this.url = url;
        this.username = username;
        this.password = password;
        this.properties = new Properties();
        this.properties.putAll(properties);
    }

    /** Hears of the pool's failed physical connects, with a token taken before each began. */
    @FunctionalInterface
    public interface ConnectFailures {
        void failed(SQLException failure, long tokenAtStart);
    }

    /**
     * Tells {@code listener} of every failed physical connect of the pool (not of {@link #probe()}),
     * with what {@code token} gave just before the connect began.
     */
    public void onConnectFailure(LongSupplier token, ConnectFailures listener) {
        this.connectToken = token;
        this.connectFailures = listener;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Properties info = new Properties();
        info.putAll(properties);
        if (loginTimeoutSeconds > 0) {
            info.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
        }
        Connection connection;
        long token = connectToken.getAsLong();
        try {
            connection = connect(info);
        } catch (SQLException e) {
            connectFailures.failed(e, token);
            throw e;
        }
        opened.add(connection);
        return connection;
    }

    /**
     * Aborts every open physical connection of the pool ({@link Connection#abort}): once the server is
     * known to be gone or silent, a statement blocked reading a silent socket fails at once (08006)
     * instead of waiting for the operating system; HikariCP then evicts the connection.
     *
     * @return how many connections were aborted
     */
    public int abortAll() {
        List<Connection> open;
        synchronized (opened) {
            open = new ArrayList<>(opened);
            opened.clear();
        }
        int aborted = 0;
        for (Connection connection : open) {
            try {
                if (!connection.isClosed()) {
                    connection.abort(Runnable::run); // closes the socket; nothing to wait for
                    aborted++;
                }
            } catch (SQLException | RuntimeException e) {
                // already broken: nothing to abort
            }
        }
        return aborted;
    }

    /**
     * Opens one physical connection and closes it, with short timeouts on PostgreSQL (pgjdbc's
     * {@code loginTimeout} and {@code connectTimeout} 1 s, {@code socketTimeout} 2 s), so a silent
     * server fails the probe within about a second.
     *
     * @throws SQLException when the connection cannot be made
     */
    public void probe() throws SQLException {
        Properties info = new Properties();
        info.putAll(properties);
        if (url.startsWith("jdbc:postgresql:")) {
            info.setProperty("loginTimeout", "1");
            info.setProperty("connectTimeout", "1");
            info.setProperty("socketTimeout", "2");
            info.setProperty("ApplicationName", "resilience-pool outage probe");
        }
        connect(info).close();
    }

    private Connection connect(Properties info) throws SQLException {
        if (username != null) {
            info.setProperty("user", username);
        }
        char[] secret = password == null ? null : password.get();
        try {
            if (secret != null) {
                info.setProperty("password", new String(secret));
            }
            Connection connection = driver.connect(url, info);
            if (connection == null) {
                throw new SQLException("the JDBC driver does not accept the URL " + Redaction.url(url), "08001");
            }
            return connection;
        } finally {
            if (secret != null) {
                Arrays.fill(secret, '\0');
            }
        }
    }

    @Override
    public Connection getConnection(String user, String pass) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are configured on the pool");
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through java.util.logging; nothing to set
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "DriverConnectionSource{" + Redaction.url(url) + ", user=" + username + "}";
    }
}
