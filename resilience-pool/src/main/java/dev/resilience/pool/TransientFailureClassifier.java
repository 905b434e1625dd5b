package dev.resilience.pool;

import dev.resilience.pool.internal.PostgresTransientStates;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Decides whether a failed transaction is worth running again on a fresh connection. The
 * {@linkplain #postgres() PostgreSQL classifier} knows the SQL states that clear up by themselves:
 * serialization failure {@code 40001}, deadlock {@code 40P01}, every connection error {@code 08xxx},
 * admin and crash shutdown {@code 57P01}/{@code 57P02}, cannot connect now {@code 57P03}, too many
 * connections {@code 53300} and read-only transaction {@code 25006} (seen after a failover, when a
 * pooled connection still points at the demoted primary). Syntax errors {@code 42xxx}, constraint
 * violations {@code 23xxx}, data errors {@code 22xxx} and cancelled statements {@code 57014} are not
 * transient.
 *
 * <p>Extend it with {@link #or(TransientFailureClassifier)}:
 * <pre>{@code
 * TransientFailureClassifier.postgres().or(e -> "55P03".equals(e.getSQLState())) // lock_not_available
 * }</pre>
 *
 * <p>Implementations must be thread-safe and cheap; they run on every failed attempt.
 */
@FunctionalInterface
public interface TransientFailureClassifier {

    /**
     * True when {@code failure} is transient and the whole transaction may be retried.
     *
     * @param failure the exception thrown by the work, a statement or the commit
     * @return true when a retry may succeed
     */
    boolean isTransient(SQLException failure);

    /**
     * A classifier that also treats as transient what {@code other} does.
     *
     * @param other another classifier
     * @return a classifier answering true when either does
     */
    default TransientFailureClassifier or(TransientFailureClassifier other) {
        Objects.requireNonNull(other, "other");
        return failure -> isTransient(failure) || other.isTransient(failure);
    }

    /**
     * The PostgreSQL classifier described above. It looks at the exception, its causes and its
     * chained ({@link SQLException#getNextException()}) exceptions, since drivers and pools wrap them.
     *
     * @return the PostgreSQL classifier
     */
    static TransientFailureClassifier postgres() {
        return PostgresTransientStates.INSTANCE;
    }
}
