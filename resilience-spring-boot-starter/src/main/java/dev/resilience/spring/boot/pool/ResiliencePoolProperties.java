package dev.resilience.spring.boot.pool;

import dev.resilience.pool.Isolation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code resilience.pool.*}: the settings of the {@link dev.resilience.pool.ResilientDataSource} beyond the
 * URL and credentials, which come from {@code spring.datasource.url}, {@code username} and {@code password}.
 * A setting left out keeps the pool's own default (see the resilience-pool README, "Defaults and why").
 */
@ConfigurationProperties(prefix = "resilience.pool")
public class ResiliencePoolProperties {

    /** Whether the resilient DataSource replaces Spring Boot's own DataSource. */
    private boolean enabled = true;

    /** Pool name in logs, metric tags and HikariCP's thread names (default: spring.datasource.name, else resilience-pool-n). */
    private @Nullable String poolName;

    /** Connections kept open when idle (pool default 20). */
    private @Nullable Integer minimumIdle;

    /** Most connections, steady plus burst (pool default 50). */
    private @Nullable Integer maximumPoolSize;

    /** How long a connection above minimum-idle may sit idle before it is closed (pool default 10m). */
    private @Nullable Duration idleTimeout;

    /** Connections are recycled after at most this long (pool default 30m). */
    private @Nullable Duration maxLifetime;

    /** Idle connections are pinged this often (pool default 5m). */
    private @Nullable Duration keepaliveTime;

    /** How long a caller waits for a connection from a busy pool (pool default 30s). */
    private @Nullable Duration connectionTimeout;

    /** How long a connection may take to answer a validation (pool default 5s). */
    private @Nullable Duration validationTimeout;

    /** A connection held longer than this is logged as a probable leak; 0 turns it off (pool default 1m). */
    private @Nullable Duration leakDetectionThreshold;

    /** Server-side statement_timeout of every connection; 0 disables it (pool default 5s). */
    private @Nullable Duration statementTimeout;

    /** Set the statement timeout with SET LOCAL in every unit of work instead of once per connection, for PgBouncer in transaction mode (pool default false). */
    private @Nullable Boolean statementTimeoutPerTransaction;

    /** Statements taking at least this long are logged at WARN by dev.resilience.pool.SlowQueryLog (pool default 1s). */
    private @Nullable Duration slowQueryThreshold;

    /** Whether slow-query lines show the bound parameters, which may hold personal data (pool default false). */
    private @Nullable Boolean logQueryParameters;

    /** Attempts of a unit of work (transaction(...), readOnly(...)) that fails transiently (pool default 4). */
    private @Nullable Integer maxAttempts;

    /** A unit of work stops retrying after this long in all (pool default 10s). */
    private @Nullable Duration maxRetryDuration;

    /** JDBC URLs of read replicas; read-only units of work go to them (same credentials and sizes as the primary). */
    private List<String> replicas = new ArrayList<>();

    /** Replication lag above which read-only work goes to the primary instead (pool default 10s). */
    private @Nullable Duration replicaMaxLag;

    /** How long a replica lag reading is reused (pool default 1s). */
    private @Nullable Duration replicaLagCheckInterval;

    /** The query that reads a replica's lag in seconds (pool default: from pg_last_xact_replay_timestamp()). */
    private @Nullable String replicaLagQuery;

    /** More threads than this waiting for a connection make the health check DEGRADED (pool default 5). */
    private @Nullable Integer healthPendingThreshold;

    /** How long closing waits for units of work in flight (pool default 30s). */
    private @Nullable Duration shutdownTimeout;

    /** Schema every connection starts in (PostgreSQL search_path; default the server's). */
    private @Nullable String schema;

    /** Default isolation of connections; a unit of work's own option wins (default the server's, READ_COMMITTED). */
    private @Nullable Isolation defaultIsolation;

    /** Whether HikariCP registers its JMX beans (pool default false). */
    private @Nullable Boolean registerMbeans;

    /** Whether the pool can be suspended through HikariCP's MXBean (pool default false). */
    private @Nullable Boolean allowPoolSuspension;

    /** Extra pgjdbc connection properties, for example prepareThreshold: 0 behind PgBouncer. */
    private Map<String, String> driverProperties = new LinkedHashMap<>();

    /** @return whether the resilient DataSource replaces Spring Boot's own DataSource */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the resilient DataSource replaces Spring Boot's own DataSource */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return pool name in logs, metric tags and HikariCP's thread names (default: spring.datasource.name, else
     * resilience-pool-n); null when not set
     */
    public @Nullable String getPoolName() {
        return poolName;
    }

    /**
     * @param poolName pool name in logs, metric tags and HikariCP's thread names (default: spring.datasource.name, else
     * resilience-pool-n)
     */
    public void setPoolName(@Nullable String poolName) {
        this.poolName = poolName;
    }

    /** @return connections kept open when idle (pool default 20); null when not set */
    public @Nullable Integer getMinimumIdle() {
        return minimumIdle;
    }

    /** @param minimumIdle connections kept open when idle (pool default 20) */
    public void setMinimumIdle(@Nullable Integer minimumIdle) {
        this.minimumIdle = minimumIdle;
    }

    /** @return most connections, steady plus burst (pool default 50); null when not set */
    public @Nullable Integer getMaximumPoolSize() {
        return maximumPoolSize;
    }

    /** @param maximumPoolSize most connections, steady plus burst (pool default 50) */
    public void setMaximumPoolSize(@Nullable Integer maximumPoolSize) {
        this.maximumPoolSize = maximumPoolSize;
    }

    /**
     * @return how long a connection above minimum-idle may sit idle before it is closed (pool default 10m); null when
     * not set
     */
    public @Nullable Duration getIdleTimeout() {
        return idleTimeout;
    }

    /**
     * @param idleTimeout how long a connection above minimum-idle may sit idle before it is closed (pool default 10m)
     */
    public void setIdleTimeout(@Nullable Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    /** @return connections are recycled after at most this long (pool default 30m); null when not set */
    public @Nullable Duration getMaxLifetime() {
        return maxLifetime;
    }

    /** @param maxLifetime connections are recycled after at most this long (pool default 30m) */
    public void setMaxLifetime(@Nullable Duration maxLifetime) {
        this.maxLifetime = maxLifetime;
    }

    /** @return idle connections are pinged this often (pool default 5m); null when not set */
    public @Nullable Duration getKeepaliveTime() {
        return keepaliveTime;
    }

    /** @param keepaliveTime idle connections are pinged this often (pool default 5m) */
    public void setKeepaliveTime(@Nullable Duration keepaliveTime) {
        this.keepaliveTime = keepaliveTime;
    }

    /** @return how long a caller waits for a connection from a busy pool (pool default 30s); null when not set */
    public @Nullable Duration getConnectionTimeout() {
        return connectionTimeout;
    }

    /** @param connectionTimeout how long a caller waits for a connection from a busy pool (pool default 30s) */
    public void setConnectionTimeout(@Nullable Duration connectionTimeout) {
        this.connectionTimeout = connectionTimeout;
    }

    /** @return how long a connection may take to answer a validation (pool default 5s); null when not set */
    public @Nullable Duration getValidationTimeout() {
        return validationTimeout;
    }

    /** @param validationTimeout how long a connection may take to answer a validation (pool default 5s) */
    public void setValidationTimeout(@Nullable Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
    }

    /**
     * @return A connection held longer than this is logged as a probable leak; 0 turns it off (pool default 1m); null
     * when not set
     */
    public @Nullable Duration getLeakDetectionThreshold() {
        return leakDetectionThreshold;
    }

    /**
     * @param leakDetectionThreshold A connection held longer than this is logged as a probable leak; 0 turns it off
     * (pool default 1m)
     */
    public void setLeakDetectionThreshold(@Nullable Duration leakDetectionThreshold) {
        this.leakDetectionThreshold = leakDetectionThreshold;
    }

    /** @return server-side statement_timeout of every connection; 0 disables it (pool default 5s); null when not set */
    public @Nullable Duration getStatementTimeout() {
        return statementTimeout;
    }

    /** @param statementTimeout server-side statement_timeout of every connection; 0 disables it (pool default 5s) */
    public void setStatementTimeout(@Nullable Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /**
     * @return set the statement timeout with SET LOCAL in every unit of work instead of once per connection, for
     * PgBouncer in transaction mode (pool default false); null when not set
     */
    public @Nullable Boolean getStatementTimeoutPerTransaction() {
        return statementTimeoutPerTransaction;
    }

    /**
     * @param statementTimeoutPerTransaction set the statement timeout with SET LOCAL in every unit of work instead of
     * once per connection, for PgBouncer in transaction mode (pool default false)
     */
    public void setStatementTimeoutPerTransaction(@Nullable Boolean statementTimeoutPerTransaction) {
        this.statementTimeoutPerTransaction = statementTimeoutPerTransaction;
    }

    /**
     * @return statements taking at least this long are logged at WARN by dev.resilience.pool.SlowQueryLog (pool default
     * 1s); null when not set
     */
    public @Nullable Duration getSlowQueryThreshold() {
        return slowQueryThreshold;
    }

    /**
     * @param slowQueryThreshold statements taking at least this long are logged at WARN by
     * dev.resilience.pool.SlowQueryLog (pool default 1s)
     */
    public void setSlowQueryThreshold(@Nullable Duration slowQueryThreshold) {
        this.slowQueryThreshold = slowQueryThreshold;
    }

    /**
     * @return whether slow-query lines show the bound parameters, which may hold personal data (pool default false);
     * null when not set
     */
    public @Nullable Boolean getLogQueryParameters() {
        return logQueryParameters;
    }

    /**
     * @param logQueryParameters whether slow-query lines show the bound parameters, which may hold personal data (pool
     * default false)
     */
    public void setLogQueryParameters(@Nullable Boolean logQueryParameters) {
        this.logQueryParameters = logQueryParameters;
    }

    /**
     * @return attempts of a unit of work (transaction(...), readOnly(...)) that fails transiently (pool default 4);
     * null when not set
     */
    public @Nullable Integer getMaxAttempts() {
        return maxAttempts;
    }

    /**
     * @param maxAttempts attempts of a unit of work (transaction(...), readOnly(...)) that fails transiently (pool
     * default 4)
     */
    public void setMaxAttempts(@Nullable Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    /** @return A unit of work stops retrying after this long in all (pool default 10s); null when not set */
    public @Nullable Duration getMaxRetryDuration() {
        return maxRetryDuration;
    }

    /** @param maxRetryDuration A unit of work stops retrying after this long in all (pool default 10s) */
    public void setMaxRetryDuration(@Nullable Duration maxRetryDuration) {
        this.maxRetryDuration = maxRetryDuration;
    }

    /**
     * @return JDBC URLs of read replicas; read-only units of work go to them (same credentials and sizes as the
     * primary)
     */
    public List<String> getReplicas() {
        return replicas;
    }

    /**
     * @param replicas JDBC URLs of read replicas; read-only units of work go to them (same credentials and sizes as the
     * primary)
     */
    public void setReplicas(List<String> replicas) {
        this.replicas = replicas;
    }

    /**
     * @return replication lag above which read-only work goes to the primary instead (pool default 10s); null when not
     * set
     */
    public @Nullable Duration getReplicaMaxLag() {
        return replicaMaxLag;
    }

    /**
     * @param replicaMaxLag replication lag above which read-only work goes to the primary instead (pool default 10s)
     */
    public void setReplicaMaxLag(@Nullable Duration replicaMaxLag) {
        this.replicaMaxLag = replicaMaxLag;
    }

    /** @return how long a replica lag reading is reused (pool default 1s); null when not set */
    public @Nullable Duration getReplicaLagCheckInterval() {
        return replicaLagCheckInterval;
    }

    /** @param replicaLagCheckInterval how long a replica lag reading is reused (pool default 1s) */
    public void setReplicaLagCheckInterval(@Nullable Duration replicaLagCheckInterval) {
        this.replicaLagCheckInterval = replicaLagCheckInterval;
    }

    /**
     * @return the query that reads a replica's lag in seconds (pool default: from pg_last_xact_replay_timestamp());
     * null when not set
     */
    public @Nullable String getReplicaLagQuery() {
        return replicaLagQuery;
    }

    /**
     * @param replicaLagQuery the query that reads a replica's lag in seconds (pool default: from
     * pg_last_xact_replay_timestamp())
     */
    public void setReplicaLagQuery(@Nullable String replicaLagQuery) {
        this.replicaLagQuery = replicaLagQuery;
    }

    /**
     * @return more threads than this waiting for a connection make the health check DEGRADED (pool default 5); null
     * when not set
     */
    public @Nullable Integer getHealthPendingThreshold() {
        return healthPendingThreshold;
    }

    /**
     * @param healthPendingThreshold more threads than this waiting for a connection make the health check DEGRADED
     * (pool default 5)
     */
    public void setHealthPendingThreshold(@Nullable Integer healthPendingThreshold) {
        this.healthPendingThreshold = healthPendingThreshold;
    }

    /** @return how long closing waits for units of work in flight (pool default 30s); null when not set */
    public @Nullable Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** @param shutdownTimeout how long closing waits for units of work in flight (pool default 30s) */
    public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** @return schema every connection starts in (PostgreSQL search_path; default the server's); null when not set */
    public @Nullable String getSchema() {
        return schema;
    }

    /** @param schema schema every connection starts in (PostgreSQL search_path; default the server's) */
    public void setSchema(@Nullable String schema) {
        this.schema = schema;
    }

    /**
     * @return default isolation of connections; a unit of work's own option wins (default the server's,
     * READ_COMMITTED); null when not set
     */
    public @Nullable Isolation getDefaultIsolation() {
        return defaultIsolation;
    }

    /**
     * @param defaultIsolation default isolation of connections; a unit of work's own option wins (default the server's,
     * READ_COMMITTED)
     */
    public void setDefaultIsolation(@Nullable Isolation defaultIsolation) {
        this.defaultIsolation = defaultIsolation;
    }

    /** @return whether HikariCP registers its JMX beans (pool default false); null when not set */
    public @Nullable Boolean getRegisterMbeans() {
        return registerMbeans;
    }

    /** @param registerMbeans whether HikariCP registers its JMX beans (pool default false) */
    public void setRegisterMbeans(@Nullable Boolean registerMbeans) {
        this.registerMbeans = registerMbeans;
    }

    /** @return whether the pool can be suspended through HikariCP's MXBean (pool default false); null when not set */
    public @Nullable Boolean getAllowPoolSuspension() {
        return allowPoolSuspension;
    }

    /** @param allowPoolSuspension whether the pool can be suspended through HikariCP's MXBean (pool default false) */
    public void setAllowPoolSuspension(@Nullable Boolean allowPoolSuspension) {
        this.allowPoolSuspension = allowPoolSuspension;
    }

    /** @return extra pgjdbc connection properties, for example prepareThreshold: 0 behind PgBouncer */
    public Map<String, String> getDriverProperties() {
        return driverProperties;
    }

    /** @param driverProperties extra pgjdbc connection properties, for example prepareThreshold: 0 behind PgBouncer */
    public void setDriverProperties(Map<String, String> driverProperties) {
        this.driverProperties = driverProperties;
    }
}
