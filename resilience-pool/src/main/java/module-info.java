/**
 * A production PostgreSQL {@code DataSource} on HikariCP: query timeouts, slow query log,
 * transient-failure retry, transactions and replica routing. {@code dev.resilience.pool.internal} is
 * not API and is not exported.
 */
module dev.resilience.pool {
    requires transitive dev.resilience.core;
    requires transitive java.sql;
    requires com.zaxxer.hikari;
    // the driver the pool is tuned for; found through java.sql.Driver's service loader
    requires org.postgresql.jdbc;
    requires org.slf4j;
    // optional: metrics are published only when the host passes a MeterRegistry
    requires static micrometer.core;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;

    exports dev.resilience.pool;
}
