package dev.resilience.pool.internal;

import dev.resilience.pool.TransientFailureClassifier;
import java.sql.SQLException;
import java.util.Set;

/** The SQL states of {@link TransientFailureClassifier#postgres()}. Stateless and thread-safe. */
public final class PostgresTransientStates implements TransientFailureClassifier {

    /** The single instance. */
    public static final PostgresTransientStates INSTANCE = new PostgresTransientStates();

    private static final Set<String> STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "53300", "25006");
    private static final int MAX_DEPTH = 10;

    private PostgresTransientStates() {
    }

    @Override
    public boolean isTransient(SQLException failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (current instanceof SQLException) {
                SQLException sql = (SQLException) current;
                SQLException next = sql.getNextException();
                if (isTransientState(sql.getSQLState()) || next != null && isTransientState(next.getSQLState())) {
                    return true;
                }
            }
            current = current.getCause();
        }
        return false;
    }

    /** True for the connection-class states: the connection broke or could not be made. */
    public static boolean isConnectionFailure(SQLException failure) {
        String state = failure.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02"));
    }

    /**
     * True when {@code failure}, one of its causes or chained exceptions has a connection-class state
     * (08xxx, 57P01-57P03): the server is gone, shutting down or starting. HikariCP's acquisition
     * timeout carries the last failed connect this way; a timeout of a merely busy pool has none.
     */
    public static boolean isConnectionFailureInChain(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            if (current instanceof SQLException) {
                SQLException sql = (SQLException) current;
                if (isUnreachableState(sql.getSQLState()) || sql.getNextException() != null
                        && isUnreachableState(sql.getNextException().getSQLState())) {
                    return true;
                }
            }
            current = current.getCause();
        }
        return false;
    }

    private static boolean isUnreachableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    private static boolean isTransientState(String state) {
        return state != null && (state.startsWith("08") || STATES.contains(state));
    }

    @Override
    public String toString() {
        return "TransientFailureClassifier.postgres()";
    }
}
