package dev.resilience.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.resilience.core.Backoff;
import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Clock;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.Jitter;
import dev.resilience.core.ResilienceException;
import dev.resilience.core.Retry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Sleeper;
import dev.resilience.core.internal.Arguments;
import dev.resilience.pool.internal.DriverConnectionSource;
import dev.resilience.pool.internal.InFlightGate;
import dev.resilience.pool.internal.MicrometerPoolMetrics;
import dev.resilience.pool.internal.OutageDetector;
import dev.resilience.pool.internal.PoolHealthCheck;
import dev.resilience.pool.internal.PoolMetrics;
import dev.resilience.pool.internal.QueryObserver;
import dev.resilience.pool.internal.ReadOnlyEviction;
import dev.resilience.pool.internal.Redaction;
import dev.resilience.pool.internal.Replica;
import dev.resilience.pool.internal.StartupFailures;
import dev.resilience.pool.internal.TransactionRunner;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A production PostgreSQL {@link DataSource} on HikariCP: tuned defaults, a statement timeout on
 * every statement, a slow query log, units of work that retry transient failures
 * ({@link #transaction(TransactionWork)}, {@link #readOnly(TransactionWork)}), a circuit breaker
 * that fails fast while the database is unreachable, read-only replicas, eviction after a failover,
 * a {@link HealthCheck} and Micrometer metrics.
 *
 * <pre>{@code
 * ResilientDataSource db = ResilientDataSource.builder()
 *         .url("jdbc:postgresql://db:5432/app")
 *         .username("app")
 *         .password(() -> secrets.read("db-password"))
 *         .meterRegistry(registry)
 *         .build();
 * long id = db.transaction(c -> {
 *     try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders(total) VALUES (?) RETURNING id")) {
 *         ps.setBigDecimal(1, total);
 *         try (ResultSet rs = ps.executeQuery()) { rs.next(); return rs.getLong(1); }
 *     }
 * });
 * }</pre>
 *
 * <p>{@link #getConnection()} keeps the plain JDBC contract (autocommit on, the driver's exceptions),
 * so frameworks such as Spring or jOOQ can use this as their DataSource; its statements still get the
 * statement timeout, the slow query log and the metrics.
 *
 * <p>Thread-safe. Build one per database and close it at shutdown.
 */
public final class ResilientDataSource implements DataSource, AutoCloseable {

    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(ResilientDataSource.class);
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final Duration EVICTION_BACKOFF = Duration.ofSeconds(5);
    private static final Duration EVICTION_MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration OUTAGE_PROBE_INTERVAL = Duration.ofMillis(500);

    private final String name;
    private final String description;
    private final HikariDataSource primary;
    private final Callable<Connection> borrowPrimary;
    private final List<Replica> replicas;
    private final CircuitBreaker breaker;
    private final OutageDetector outage;
    private final ThreadPoolExecutor probeExecutor;
    private final QueryObserver observer;
    private final TransactionRunner runner;
    private final InFlightGate gate = new InFlightGate();
    private final HealthCheck healthCheck;
    private final Duration shutdownTimeout;
    private final Config config;

    /** {@code url} and {@code poolName} are the builder's, checked and defaulted by {@link Builder#build()}. */
    private ResilientDataSource(Builder b, Driver driver, String url, String poolName) {
        this.name = poolName;
        this.description = "ResilientDataSource{" + name + ", " + Redaction.url(url) + ", user=" + b.username + "}";
        this.shutdownTimeout = b.shutdownTimeout;
        PoolMetrics metrics = b.meterRegistry == null ? PoolMetrics.NONE : MicrometerPoolMetrics.of(b.meterRegistry, name);
        this.breaker = b.acquisitionBreaker != null ? b.acquisitionBreaker : OutageDetector.defaultBreaker(name, b.clock);
        this.config = b.config(url, poolName, breaker.name());
        ReadOnlyEviction eviction = new ReadOnlyEviction(name, b.clock, EVICTION_BACKOFF, EVICTION_MAX_BACKOFF, metrics);
        DriverConnectionSource source = new DriverConnectionSource(driver, url, b.username, b.password, b.driverProperties);
        this.primary = startPool(b, source, url, name, true, metrics);
        eviction.attach(primary);
        this.probeExecutor = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, name + "-outage-probe");
            thread.setDaemon(true);
            return thread;
        });
        probeExecutor.allowCoreThreadTimeOut(true);
        HikariPool hikariPool = (HikariPool) primary.getHikariPoolMXBean();
        this.outage = new OutageDetector(name, breaker, hikariPool::getConnection, b.connectionTimeout, source::probe,
                probeExecutor, Scheduler.defaultScheduler(), b.clock, OUTAGE_PROBE_INTERVAL, metrics, source::abortAll);
        source.onConnectFailure(outage::epoch, outage::connectFailed);
        this.borrowPrimary = outage::acquire; // made once: a method reference per call would allocate
        List<Replica> started = new ArrayList<>();
        try {
            for (int i = 0; i < b.replicaUrls.size(); i++) {
                String replicaUrl = b.replicaUrls.get(i);
                HikariDataSource pool = startPool(b, new DriverConnectionSource(driverFor(replicaUrl), replicaUrl, b.username,
                        b.password, b.driverProperties), replicaUrl, name + "-replica-" + (i + 1), false, metrics);
                started.add(new Replica(pool, b.replicaLagQuery, b.replicaMaxLag, b.replicaLagCheckInterval, b.clock));
            }
        } catch (RuntimeException e) {
            started.forEach(Replica::close);
            outage.close();
            probeExecutor.shutdownNow();
            primary.close();
            throw e;
        }
        this.replicas = List.copyOf(started);
        this.observer = new QueryObserver(name, b.clock, b.slowQueryThreshold, b.logQueryParameters, metrics, eviction,
                outage);
        if (b.acquisitionBreaker == null) {
            metrics.bind(breaker); // a breaker passed in is the caller's to bind
        }
        Backoff backoff = b.backoff;
        Duration maxRetryDuration = b.maxRetryDuration;
        Clock clock = b.clock;
        Sleeper sleeper = b.sleeper;
        @Nullable Duration perTransactionTimeout = b.statementTimeoutPerTransaction && !b.statementTimeout.isZero()
                ? b.statementTimeout : null;
        this.runner = new TransactionRunner(name, gate, breaker, borrowPrimary, replicas, observer, b.classifier, metrics,
                b.maxAttempts, perTransactionTimeout, attempts -> Retry.builder(name + "-transaction").maxAttempts(attempts)
                        .maxDuration(maxRetryDuration).backoff(backoff).clock(clock).sleeper(sleeper));
        this.healthCheck = new PoolHealthCheck(primary, () -> outage.isDown() || breaker.state() == CircuitBreaker.State.OPEN
                || breaker.state() == CircuitBreaker.State.FORCED_OPEN, outage::waitingCallers,
                b.healthPendingThreshold, Duration.ofSeconds(1), replicas, b.clock);
        LOG.info("Pool {} started: {} steady + burst to {} connections, statement timeout {} ms, {} replica(s)",
                name, b.minimumIdle, b.maximumPoolSize, b.statementTimeout.toMillis(), replicas.size());
    }

    private static HikariDataSource startPool(Builder b, DriverConnectionSource source, String url, String poolName,
                                              boolean primary, PoolMetrics metrics) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setDataSource(source);
        config.setMinimumIdle(b.minimumIdle);
        config.setMaximumPoolSize(b.maximumPoolSize);
        config.setIdleTimeout(b.idleTimeout.toMillis());
        config.setMaxLifetime(b.maxLifetime.toMillis());
        config.setKeepaliveTime(b.keepaliveTime.toMillis());
        config.setConnectionTimeout(b.connectionTimeout.toMillis());
        config.setValidationTimeout(b.validationTimeout.toMillis());
        config.setLeakDetectionThreshold(b.leakDetectionThreshold.toMillis());
        config.setInitializationFailTimeout(1); // one attempt at start, so bad settings fail the build
        if (url.startsWith(POSTGRES_PREFIX) && !b.statementTimeout.isZero() && !b.statementTimeoutPerTransaction) {
            config.setConnectionInitSql("SET statement_timeout = " + b.statementTimeout.toMillis());
        }
        config.setRegisterMbeans(b.registerMbeans);
        config.setAllowPoolSuspension(b.allowPoolSuspension);
        if (b.schema != null) {
            config.setSchema(b.schema);
        }
        if (b.defaultIsolation != null) {
            config.setTransactionIsolation("TRANSACTION_" + b.defaultIsolation.name());
        }
        if (b.hikariCustomizer != null) {
            b.hikariCustomizer.accept(config);
            if (config.getDataSource() != source || config.getJdbcUrl() != null || config.getPassword() != null
                    || config.getUsername() != null || config.getDataSourceClassName() != null
                    || !poolName.equals(config.getPoolName())) {
                throw new IllegalArgumentException("hikariConfig must not change the pool's name, URL, data source or "
                        + "credentials: set them on the builder");
            }
        }
        metrics.instrument(config, primary); // the primary's callers wait in slices
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw StartupFailures.classify(poolName, url, b.username, e);
        }
    }

    private static Driver driverFor(String url) {
        if (url.startsWith(POSTGRES_PREFIX)) {
            Driver driver = new org.postgresql.Driver();
            try {
                if (driver.acceptsURL(url)) {
                    return driver;
                }
            } catch (SQLException e) {
                // fall through to the malformed URL error
            }
            throw new IllegalArgumentException("url is malformed: " + Redaction.url(url)
                    + " (expected jdbc:postgresql://host[:port][,host2[:port2]...]/database[?parameters])");
        }
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException e) {
            throw new IllegalArgumentException("url is malformed or no JDBC driver on the class path accepts it: "
                    + Redaction.url(url));
        }
    }

    /**
     * A builder with the production defaults described on each setter.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pool's name, used in logs, metric tags and HikariCP's thread names.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The effective settings of this data source: what the builder was given, the defaults for the rest.
     * Holds no password: URLs have any {@code password=} parameter masked and driver properties are
     * listed by name only, so it is safe to log or print.
     *
     * @return the settings, fixed when the data source was built
     */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link ResilientDataSource} ({@link #config()}), without credentials
     * other than the user name. Durations are as given to the builder; zero where the builder documents
     * zero as "off".
     *
     * @param name the pool's name
     * @param url the JDBC URL, any password parameter masked
     * @param username the user, or null when the URL or the driver supplies it
     * @param minimumIdle idle connections kept open
     * @param maximumPoolSize the most connections open at once
     * @param idleTimeout how long an idle connection above {@code minimumIdle} is kept
     * @param maxLifetime the longest a connection lives
     * @param keepaliveTime how often an idle connection is tested
     * @param connectionTimeout the longest a caller waits for a connection
     * @param validationTimeout the longest a connection test may take
     * @param leakDetectionThreshold how long a connection may be held before a leak is logged; zero for off
     * @param statementTimeout the default statement timeout; zero for none
     * @param statementTimeoutPerTransaction whether the statement timeout bounds a whole transaction
     * @param slowQueryThreshold statements slower than this are logged
     * @param logQueryParameters whether slow-query lines carry the bound parameter values
     * @param driverPropertyNames the names of the driver properties set (values are not shown)
     * @param maxAttempts the default attempts of a transaction
     * @param maxRetryDuration the longest a transaction is retried
     * @param backoff the delay between transaction attempts
     * @param acquisitionBreaker the name of the circuit breaker guarding connection acquisition
     *                           ({@code <name>-acquisition} unless one was given)
     * @param replicaUrls the read replicas' JDBC URLs, passwords masked
     * @param replicaMaxLag the largest replication lag at which a replica still serves reads
     * @param replicaLagCheckInterval how often replica lag is checked
     * @param replicaLagQuery the SQL that measures a replica's lag in seconds
     * @param healthPendingThreshold waiting callers at which the health check reports degraded
     * @param shutdownTimeout how long {@link #close()} waits for in-flight work
     * @param registerMbeans whether HikariCP's MBeans are registered
     * @param allowPoolSuspension whether the pool can be suspended through JMX
     * @param schema the default schema of new connections, or null for the server's
     * @param defaultIsolation the default isolation of transactions, or null for the server's
     * @param metrics whether metrics are published (a meter registry was given)
     */
    public record Config(String name, String url, @Nullable String username, int minimumIdle, int maximumPoolSize,
            Duration idleTimeout, Duration maxLifetime, Duration keepaliveTime, Duration connectionTimeout,
            Duration validationTimeout, Duration leakDetectionThreshold, Duration statementTimeout,
            boolean statementTimeoutPerTransaction, Duration slowQueryThreshold, boolean logQueryParameters,
            List<String> driverPropertyNames, int maxAttempts, Duration maxRetryDuration, Backoff backoff,
            String acquisitionBreaker, List<String> replicaUrls, Duration replicaMaxLag,
            Duration replicaLagCheckInterval, String replicaLagQuery, int healthPendingThreshold,
            Duration shutdownTimeout, boolean registerMbeans, boolean allowPoolSuspension, @Nullable String schema,
            @Nullable Isolation defaultIsolation, boolean metrics) {
    }

    /**
     * Runs {@code work} in a read-write transaction on the primary with the pool's options.
     *
     * @param work the unit of work; it may run more than once when retried
     * @param <T> the result type
     * @return what the work returned, after the commit
     * @throws SQLException the last failure when the work cannot be committed
     * @see #transaction(TransactionOptions, TransactionWork)
     */
    public <T> T transaction(TransactionWork<T> work) throws SQLException {
        return runner.run(TransactionOptions.defaults(), false, work);
    }

    /**
     * Runs {@code work} in a read-write transaction on the primary and commits it. On a transient
     * failure ({@link TransientFailureClassifier}) the transaction is rolled back and run again on a
     * fresh connection, with exponential backoff and jitter, up to the attempts and total time allowed.
     *
     * @param options settings for this unit that override the pool's
     * @param work the unit of work; it may run more than once when retried
     * @param <T> the result type
     * @return what the work returned
     * @throws SQLException the work's or the driver's exception, unchanged, after the last attempt
     * @throws QueryTimeoutException when a statement ran over its timeout (SQL state 57014)
     * @throws OutcomeUnknownException when the connection failed while the commit was in flight
     * @throws dev.resilience.core.CallNotPermittedException when the acquisition breaker is open
     * @throws ResilienceException when the pool is closing
     */
    public <T> T transaction(TransactionOptions options, TransactionWork<T> work) throws SQLException {
        return runner.run(options, false, work);
    }

    /**
     * Runs read-only {@code work} with the pool's options.
     *
     * @param work the read-only unit of work; it may run more than once when retried
     * @param <T> the result type
     * @return what the work returned
     * @throws SQLException the last failure when the work cannot be completed
     * @see #readOnly(TransactionOptions, TransactionWork)
     */
    public <T> T readOnly(TransactionWork<T> work) throws SQLException {
        return runner.run(TransactionOptions.defaults(), true, work);
    }

    /**
     * Runs {@code work} in a read-only transaction on the first usable replica (reachable, replication
     * lag under the limit), else on the primary; retried like {@link #transaction(TransactionOptions,
     * TransactionWork)}.
     *
     * @param options settings for this unit that override the pool's
     * @param work the read-only unit of work; it may run more than once when retried
     * @param <T> the result type
     * @return what the work returned
     * @throws SQLException the work's or the driver's exception, unchanged, after the last attempt
     * @throws QueryTimeoutException when a statement ran over its timeout (SQL state 57014)
     * @throws dev.resilience.core.CallNotPermittedException when it has to use the primary and the
     *         acquisition breaker is open
     * @throws ResilienceException when the pool is closing
     */
    public <T> T readOnly(TransactionOptions options, TransactionWork<T> work) throws SQLException {
        return runner.run(options, true, work);
    }

    /**
     * A primary connection in autocommit mode, with the statement timeout, slow query log and metrics.
     * Close it to return it to the pool.
     *
     * @throws SQLTransientConnectionException when the acquisition breaker is open (the
     *         {@link dev.resilience.core.CallNotPermittedException} is its cause) or no connection
     *         came within the connection timeout
     */
    @Override
    public Connection getConnection() throws SQLException {
        try {
            return observer.wrap(runner.primaryConnection(), true);
        } catch (CallNotPermittedException e) {
            throw new SQLTransientConnectionException(e.getMessage(), "08001", e);
        }
    }

    /**
     * Not supported: the credentials are the pool's.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the credentials are configured on the pool's builder");
    }

    /**
     * The pool's health: see the README. Cheap (one {@code isValid} on a pooled connection), safe to call
     * concurrently; run it with a timeout, since borrowing can wait while the database hangs.
     *
     * @return the health check, named after the pool
     */
    public HealthCheck asHealthCheck() {
        return healthCheck;
    }

    /**
     * Turns new units of work away, waits up to the shutdown timeout for those in flight, then closes
     * the replica and primary pools (HikariCP closes idle connections at once and busy ones when
     * returned). Idempotent.
     */
    @Override
    public void close() {
        try {
            if (!gate.close(shutdownTimeout)) {
                LOG.warn("Pool {}: {} unit(s) of work still running after {} ms; closing anyway",
                        name, gate.inFlight(), shutdownTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outage.close();
        probeExecutor.shutdownNow();
        replicas.forEach(Replica::close);
        primary.close();
        LOG.info("Pool {} closed", name);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return primary.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        primary.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        primary.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return primary.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return primary.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : primary.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || primary.isWrapperFor(iface);
    }

    /** The name, redacted URL and user; never the password. */
    @Override
    public String toString() {
        return description;
    }

    /**
     * Builds a {@link ResilientDataSource}. Every setter validates its value and names it in the
     * {@link IllegalArgumentException}. Not thread-safe; the data source it builds is.
     */
    public static final class Builder {
        private static final AtomicInteger POOL_NUMBER = new AtomicInteger();
        private static final Duration MIN_LIFETIME = Duration.ofSeconds(30);

        private @Nullable String url;
        private @Nullable String username;
        private @Nullable Supplier<char[]> password;
        private @Nullable String poolName;
        private int minimumIdle = 20;
        private int maximumPoolSize = 50;
        private Duration idleTimeout = Duration.ofMinutes(10);
        private Duration maxLifetime = Duration.ofMinutes(30);
        private Duration keepaliveTime = Duration.ofMinutes(5);
        private Duration connectionTimeout = Duration.ofSeconds(30);
        private Duration validationTimeout = Duration.ofSeconds(5);
        private Duration leakDetectionThreshold = Duration.ofMinutes(1);
        private Duration statementTimeout = Duration.ofSeconds(5);
        private Duration slowQueryThreshold = Duration.ofSeconds(1);
        private boolean logQueryParameters;
        private final Properties driverProperties = new Properties();
        private TransientFailureClassifier classifier = TransientFailureClassifier.postgres();
        private int maxAttempts = 4;
        private Duration maxRetryDuration = Duration.ofSeconds(10);
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL);
        private @Nullable CircuitBreaker acquisitionBreaker;
        private final List<String> replicaUrls = new ArrayList<>();
        private Duration replicaMaxLag = Duration.ofSeconds(10);
        private Duration replicaLagCheckInterval = Duration.ofSeconds(1);
        private String replicaLagQuery = "SELECT CASE WHEN NOT pg_is_in_recovery() "
                + "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
                + "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END";
        private int healthPendingThreshold = 5;
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private @Nullable Object meterRegistry;
        private Clock clock = Clock.system();
        private Sleeper sleeper = Sleeper.system();
        private boolean statementTimeoutPerTransaction;
        private boolean registerMbeans;
        private boolean allowPoolSuspension;
        private @Nullable String schema;
        private @Nullable Isolation defaultIsolation;
        private @Nullable Consumer<HikariConfig> hikariCustomizer;

        private Builder() {
        }

        /** The effective settings, for {@link ResilientDataSource#config()}; no password, URLs masked. */
        Config config(String checkedUrl, String name, String breakerName) {
            List<String> propertyNames = new ArrayList<>(driverProperties.stringPropertyNames());
            propertyNames.sort(null);
            List<String> replicas = new ArrayList<>();
            replicaUrls.forEach(replica -> replicas.add(Redaction.url(replica)));
            return new Config(name, Redaction.url(checkedUrl), username, minimumIdle, maximumPoolSize, idleTimeout,
                    maxLifetime, keepaliveTime, connectionTimeout, validationTimeout, leakDetectionThreshold,
                    statementTimeout, statementTimeoutPerTransaction, slowQueryThreshold, logQueryParameters,
                    List.copyOf(propertyNames), maxAttempts, maxRetryDuration, backoff,
                    breakerName,
                    List.copyOf(replicas), replicaMaxLag, replicaLagCheckInterval, replicaLagQuery, healthPendingThreshold,
                    shutdownTimeout, registerMbeans, allowPoolSuspension, schema, defaultIsolation,
                    meterRegistry != null);
        }

        /**
         * The JDBC URL, required. Multi-host PostgreSQL URLs work, for example
         * {@code jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary}.
         *
         * @param url the JDBC URL; a password parameter in it is never logged or shown
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * The database user; default: taken from the URL.
         *
         * @param username the user
         * @return this builder
         */
        public Builder username(String username) {
            this.username = Arguments.notBlank("username", username);
            return this;
        }

        /**
         * The password; the array is copied, so the caller may clear its own. Never logged or shown.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(char[] password) {
            Objects.requireNonNull(password, "password");
            char[] copy = password.clone();
            this.password = copy::clone;
            return this;
        }

        /**
         * Where the password comes from, asked for every new physical connection so a rotated password
         * is picked up. Return a new array each time: the pool clears it after use.
         *
         * @param password asked for a fresh array per new connection
         * @return this builder
         */
        public Builder password(Supplier<char[]> password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The pool's name in logs, metric tags and thread names. Default {@code resilience-pool-<n>}.
         *
         * @param poolName the name, not blank
         * @return this builder
         */
        public Builder poolName(String poolName) {
            this.poolName = Arguments.notBlank("poolName", poolName);
            return this;
        }

        /**
         * Connections kept open even when idle (HikariCP {@code minimumIdle}). Default 20.
         *
         * @param minimumIdle idle connections, 0 or more
         * @return this builder
         */
        public Builder minimumIdle(int minimumIdle) {
            this.minimumIdle = Arguments.atLeast("minimumIdle", minimumIdle, 0);
            return this;
        }

        /**
         * Connections at most, steady plus burst (HikariCP {@code maximumPoolSize}). Default 50 (20 + 30).
         *
         * @param maximumPoolSize connections at most, 1 or more and not below minimumIdle
         * @return this builder
         */
        public Builder maximumPoolSize(int maximumPoolSize) {
            this.maximumPoolSize = Arguments.atLeast("maximumPoolSize", maximumPoolSize, 1);
            return this;
        }

        /**
         * How long a burst connection above {@code minimumIdle} may sit idle before it is closed. Default 10 min.
         *
         * @param idleTimeout at least 10 s
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = Arguments.atLeast("idleTimeout", idleTimeout, Duration.ofSeconds(10));
            return this;
        }

        /**
         * A connection's longest life; HikariCP retires each a little earlier at random. Default 30 min.
         *
         * @param maxLifetime at least 30 s
         * @return this builder
         */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Arguments.atLeast("maxLifetime", maxLifetime, MIN_LIFETIME);
            return this;
        }

        /**
         * How often an idle connection is pinged so firewalls and NAT keep it. Default 5 min.
         *
         * @param keepaliveTime at least 30 s and shorter than maxLifetime
         * @return this builder
         */
        public Builder keepaliveTime(Duration keepaliveTime) {
            this.keepaliveTime = Arguments.atLeast("keepaliveTime", keepaliveTime, MIN_LIFETIME);
            return this;
        }

        /**
         * How long a caller waits for a connection before failing. Default 30 s; at least 250 ms.
         *
         * @param connectionTimeout at least 250 ms
         * @return this builder
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = Arguments.atLeast("connectionTimeout", connectionTimeout, Duration.ofMillis(250));
            return this;
        }

        /**
         * How long the JDBC4 {@code isValid} check of a borrowed connection may take. Default 5 s; at least 250 ms.
         *
         * @param validationTimeout at least 250 ms
         * @return this builder
         */
        public Builder validationTimeout(Duration validationTimeout) {
            this.validationTimeout = Arguments.atLeast("validationTimeout", validationTimeout, Duration.ofMillis(250));
            return this;
        }

        /**
         * Held longer than this, a connection is logged as a possible leak; zero disables. Default 1 min.
         *
         * @param leakDetectionThreshold zero or more
         * @return this builder
         */
        public Builder leakDetectionThreshold(Duration leakDetectionThreshold) {
            this.leakDetectionThreshold = Arguments.atLeast("leakDetectionThreshold", leakDetectionThreshold, Duration.ZERO);
            return this;
        }

        /**
         * The server-side {@code statement_timeout} of every connection (PostgreSQL URLs only); zero
         * disables. Override per unit with {@link TransactionOptions.Builder#statementTimeout(Duration)}.
         * Default 5 s.
         *
         * @param statementTimeout zero or more
         * @return this builder
         */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = Arguments.atLeast("statementTimeout", statementTimeout, Duration.ZERO);
            return this;
        }

        /**
         * Sets the statement timeout with {@code SET LOCAL} at the start of every unit of work instead of
         * once per connection (one more round trip per unit). For PgBouncer in transaction mode, where a
         * session setting does not stick to the client. Connections from {@link #getConnection()} then
         * get no timeout of the pool's: set one for the role ({@code ALTER ROLE app SET statement_timeout = '5s'}).
         * Default false.
         *
         * @param statementTimeoutPerTransaction true to set it per unit of work; default false
         * @return this builder
         */
        public Builder statementTimeoutPerTransaction(boolean statementTimeoutPerTransaction) {
            this.statementTimeoutPerTransaction = statementTimeoutPerTransaction;
            return this;
        }

        /**
         * Registers HikariCP's pool and configuration MBeans ({@code com.zaxxer.hikari:type=Pool (name)}). Default false.
         *
         * @param registerMbeans true to register them
         * @return this builder
         */
        public Builder registerMbeans(boolean registerMbeans) {
            this.registerMbeans = registerMbeans;
            return this;
        }

        /**
         * Lets operators suspend and resume the pool ({@code unwrap(HikariDataSource.class).getHikariPoolMXBean()
         * .suspendPool()}), for example while failing over by hand. HikariCP's default, false, skips a lock per borrow.
         *
         * @param allowPoolSuspension true to allow suspension; default false
         * @return this builder
         */
        public Builder allowPoolSuspension(boolean allowPoolSuspension) {
            this.allowPoolSuspension = allowPoolSuspension;
            return this;
        }

        /**
         * The schema every connection starts in ({@code Connection.setSchema}: PostgreSQL's {@code search_path}). Default: the server's.
         *
         * @param schema the schema name, not blank
         * @return this builder
         */
        public Builder schema(String schema) {
            this.schema = Arguments.notBlank("schema", schema);
            return this;
        }

        /**
         * The isolation level every connection starts with; a unit of work can still ask for another with
         * {@link TransactionOptions.Builder#isolation(Isolation)}. Default: the server's (READ COMMITTED).
         *
         * @param defaultIsolation the level
         * @return this builder
         */
        public Builder defaultIsolation(Isolation defaultIsolation) {
            this.defaultIsolation = Objects.requireNonNull(defaultIsolation, "defaultIsolation");
            return this;
        }

        /**
         * The escape hatch: changes HikariCP's configuration of the primary and replica pools after the
         * builder's settings, for any HikariCP setting the builder does not offer. It must leave the pool's
         * name, URL, data source and credentials alone, else {@link #build()} throws.
         *
         * @param customizer changes the HikariConfig before each pool starts
         * @return this builder
         */
        public Builder hikariConfig(Consumer<HikariConfig> customizer) {
            this.hikariCustomizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * Statements taking at least this long are logged at WARN and counted. Default 1 s.
         *
         * @param slowQueryThreshold zero or more; zero logs every statement
         * @return this builder
         */
        public Builder slowQueryThreshold(Duration slowQueryThreshold) {
            this.slowQueryThreshold = Arguments.atLeast("slowQueryThreshold", slowQueryThreshold, Duration.ZERO);
            return this;
        }

        /**
         * Whether slow-query lines show the bound parameter values (they may hold personal data). Default false.
         *
         * @param logQueryParameters true to show the values
         * @return this builder
         */
        public Builder logQueryParameters(boolean logQueryParameters) {
            this.logQueryParameters = logQueryParameters;
            return this;
        }

        /**
         * A JDBC driver property, for example {@code socketTimeout} or {@code ApplicationName}.
         *
         * @param key the property name, not blank
         * @param value the value, shown by name only in config()
         * @return this builder
         * @throws IllegalArgumentException for {@code password} (use {@link #password(char[])})
         */
        public Builder driverProperty(String key, String value) {
            Arguments.notBlank("key", key);
            Objects.requireNonNull(value, "value");
            if (key.equalsIgnoreCase("password")) {
                throw new IllegalArgumentException("key must not be 'password': set it with password(...)");
            }
            driverProperties.setProperty(key, value);
            return this;
        }

        /**
         * Which failures are retried. Default {@link TransientFailureClassifier#postgres()}.
         *
         * @param classifier decides which SQLExceptions are transient
         * @return this builder
         */
        public Builder transientFailureClassifier(TransientFailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * Attempts per unit of work, the first included. Default 4.
         *
         * @param maxAttempts 1 or more; 1 turns retries off
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Arguments.atLeast("maxAttempts", maxAttempts, 1);
            return this;
        }

        /**
         * The longest time a unit of work may spend retrying. Default 10 s.
         *
         * @param maxRetryDuration at least 1 ms
         * @return this builder
         */
        public Builder maxRetryDuration(Duration maxRetryDuration) {
            this.maxRetryDuration = Arguments.atLeast("maxRetryDuration", maxRetryDuration, Duration.ofMillis(1));
            return this;
        }

        /**
         * The pause between attempts. Default exponential from 50 ms, doubling, at most 2 s, full jitter.
         *
         * @param backoff the pause before each retry
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * The breaker around connection acquisition: it counts only failures to get a connection, never
         * the work's SQL errors. Default: opens when half of the last 20 acquisitions (at least 5) failed,
         * rejects for 5 s, then lets one probe through.
         *
         * @param acquisitionBreaker the breaker; it may be shared with other components
         * @return this builder
         */
        public Builder acquisitionBreaker(CircuitBreaker acquisitionBreaker) {
            this.acquisitionBreaker = Objects.requireNonNull(acquisitionBreaker, "acquisitionBreaker");
            return this;
        }

        /**
         * Adds a read replica, with the same credentials and pool settings as the primary.
         *
         * @param url the replica's JDBC URL, not blank
         * @return this builder
         */
        public Builder replica(String url) {
            replicaUrls.add(Arguments.notBlank("url", url));
            return this;
        }

        /**
         * The largest replication lag at which a replica still takes read-only work. Default 10 s.
         *
         * @param replicaMaxLag zero or more
         * @return this builder
         */
        public Builder replicaMaxLag(Duration replicaMaxLag) {
            this.replicaMaxLag = Arguments.atLeast("replicaMaxLag", replicaMaxLag, Duration.ZERO);
            return this;
        }

        /**
         * How long a replica's lag reading is trusted before it is measured again. Default 1 s.
         *
         * @param replicaLagCheckInterval zero or more
         * @return this builder
         */
        public Builder replicaLagCheckInterval(Duration replicaLagCheckInterval) {
            this.replicaLagCheckInterval = Arguments.atLeast("replicaLagCheckInterval", replicaLagCheckInterval, Duration.ZERO);
            return this;
        }

        /**
         * The query returning a replica's lag in seconds (NULL means none). Default: 0 when the server is
         * not a standby or has replayed all it received, else {@code now() - pg_last_xact_replay_timestamp()}.
         *
         * @param replicaLagQuery the SQL, not blank, returning one number of seconds
         * @return this builder
         */
        public Builder replicaLagQuery(String replicaLagQuery) {
            this.replicaLagQuery = Arguments.notBlank("replicaLagQuery", replicaLagQuery);
            return this;
        }

        /**
         * More threads waiting for a connection than this makes the health check DEGRADED. Default 5.
         *
         * @param healthPendingThreshold 0 or more waiting threads
         * @return this builder
         */
        public Builder healthPendingThreshold(int healthPendingThreshold) {
            this.healthPendingThreshold = Arguments.atLeast("healthPendingThreshold", healthPendingThreshold, 0);
            return this;
        }

        /**
         * How long {@link ResilientDataSource#close()} waits for units of work in flight. Default 30 s.
         *
         * @param shutdownTimeout how long close() waits
         * @return this builder
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = Arguments.atLeast("shutdownTimeout", shutdownTimeout, Duration.ZERO);
            return this;
        }

        /**
         * Publishes HikariCP's and the pool's metrics there. Default: none (Micrometer is optional).
         *
         * @param meterRegistry the registry
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry meterRegistry) {
            this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
            return this;
        }

        /**
         * The source of time for elapsed times, retries and the breaker. Default {@link Clock#system()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How retries wait between attempts. Default {@link Sleeper#system()}.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Starts the pools, opening the first connection of each.
         *
         * @return the started data source; close it at shutdown
         * @throws IllegalArgumentException when the URL is missing or malformed, or settings contradict
         * @throws PoolStartupException when the first connection fails; its reason says whether the
         *         credentials are wrong, the server is unreachable or the database unknown
         */
        public ResilientDataSource build() {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("url is missing: set the JDBC URL, for example "
                        + "jdbc:postgresql://host:5432/database");
            }
            if (!url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("url is malformed: " + Redaction.url(url) + " (a JDBC URL starts with jdbc:)");
            }
            if (minimumIdle > maximumPoolSize) {
                throw new IllegalArgumentException("minimumIdle (" + minimumIdle + ") must not exceed maximumPoolSize ("
                        + maximumPoolSize + ")");
            }
            if (keepaliveTime.compareTo(maxLifetime) >= 0) {
                throw new IllegalArgumentException("keepaliveTime (" + keepaliveTime + ") must be shorter than maxLifetime ("
                        + maxLifetime + ")");
            }
            Driver driver = driverFor(url);
            replicaUrls.forEach(ResilientDataSource::driverFor);
            if (poolName == null) {
                poolName = "resilience-pool-" + POOL_NUMBER.incrementAndGet();
            }
            return new ResilientDataSource(this, driver, url, poolName);
        }
    }
}
