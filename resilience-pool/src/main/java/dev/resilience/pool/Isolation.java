package dev.resilience.pool;

import java.sql.Connection;

/**
 * Transaction isolation levels a unit of work can ask for (PostgreSQL offers these three; it runs
 * READ UNCOMMITTED as READ COMMITTED).
 */
public enum Isolation {
    /** Each statement sees data committed before it began. PostgreSQL's default. */
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    /** The whole transaction sees one snapshot; concurrent updates fail with SQL state 40001. */
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    /** As if transactions ran one after another; conflicts fail with SQL state 40001 and are retried. */
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    private final int jdbcLevel;

    Isolation(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }

    /**
     * The {@link Connection} constant of this level.
     *
     * @return the Connection.TRANSACTION_* value
     */
    public int jdbcLevel() {
        return jdbcLevel;
    }
}
