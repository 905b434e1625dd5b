package dev.resilience.pool.internal;

import dev.resilience.pool.PoolStartupException;
import dev.resilience.pool.PoolStartupException.Reason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** Turns the failure of a pool's first connection into a {@link PoolStartupException} that says why. */
public final class StartupFailures {

    private static final int MAX_DEPTH = 10;

    private StartupFailures() {
    }

    /**
     * @param poolName the pool's name
     * @param url the JDBC URL (redacted here)
     * @param username the user, or null
     * @param failure what HikariCP threw
     */
    public static PoolStartupException classify(String poolName, String url, @Nullable String username, Throwable failure) {
        SQLException sql = null;
        boolean network = false;
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (sql == null && current instanceof SQLException && ((SQLException) current).getSQLState() != null) {
                sql = (SQLException) current;
            }
            network |= current instanceof ConnectException || current instanceof UnknownHostException
                    || current instanceof NoRouteToHostException || current instanceof SocketTimeoutException;
            current = current.getCause();
        }
        String state = sql == null ? null : sql.getSQLState();
        Reason reason = reasonOf(state, network);
        String target = "pool '" + poolName + "' at " + Redaction.url(url);
        String what;
        switch (reason) {
            case BAD_CREDENTIALS:
                what = "the server rejected the credentials of " + (username == null ? "the user in the URL" : "user '" + username + "'")
                        + " (wrong password or unknown user)";
                break;
            case UNREACHABLE:
                what = "the database server cannot be reached (check host, port, firewall and that it is running)";
                break;
            case UNKNOWN_DATABASE:
                what = "the server has no database of that name";
                break;
            default:
                what = "the first connection failed";
        }
        String message = "Cannot start " + target + ": " + what
                + (state == null ? "" : " [SQL state " + state + "]") + ": " + firstLine(sql == null ? failure : sql);
        return new PoolStartupException(reason, state, message, failure);
    }

    private static Reason reasonOf(@Nullable String state, boolean network) {
        if (state != null && (state.equals("28P01") || state.equals("28000"))) {
            return Reason.BAD_CREDENTIALS;
        }
        if ("3D000".equals(state)) {
            return Reason.UNKNOWN_DATABASE;
        }
        if (network || state != null && state.startsWith("08")) {
            return Reason.UNREACHABLE;
        }
        return Reason.OTHER;
    }

    private static String firstLine(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int newline = message.indexOf('\n');
        return Redaction.url(newline < 0 ? message : message.substring(0, newline));
    }
}
