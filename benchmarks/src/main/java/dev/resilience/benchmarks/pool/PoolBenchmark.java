package dev.resilience.benchmarks.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.resilience.pool.ResilientDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@code SELECT 1} in a transaction: through {@link ResilientDataSource#transaction} (slow query log,
 * statement metrics, acquisition breaker and retry policy all on) against raw HikariCP doing the same
 * JDBC calls by hand, on the same database, with the same pool size, in the same run.
 *
 * <p>The server is {@code -Dpool.bench.host} (default 127.0.0.1), port {@code -Dpool.bench.port} (5432),
 * user {@code -Dpool.bench.user} (postgres). The benchmark creates its own database
 * {@code resilience_pool_bench} and drops it afterwards.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(2)
public class PoolBenchmark {

    private static final String DATABASE = "resilience_pool_bench";
    private static final int POOL_SIZE = 4;

    private final String host = System.getProperty("pool.bench.host", "127.0.0.1");
    private final String port = System.getProperty("pool.bench.port", "5432");
    private final String user = System.getProperty("pool.bench.user", "postgres");

    private HikariDataSource hikari;
    private ResilientDataSource resilient;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        admin("CREATE DATABASE " + DATABASE);
        String url = "jdbc:postgresql://" + host + ":" + port + "/" + DATABASE;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setMinimumIdle(POOL_SIZE);
        config.setMaximumPoolSize(POOL_SIZE);
        // the same settings ResilientDataSource applies by default, so both pools do the same work per borrow
        config.setConnectionInitSql("SET statement_timeout = 5000");
        config.setLeakDetectionThreshold(Duration.ofMinutes(1).toMillis());
        config.setKeepaliveTime(Duration.ofMinutes(5).toMillis());
        config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
        config.setPoolName("raw-hikari");
        hikari = new HikariDataSource(config);
        resilient = ResilientDataSource.builder().url(url).username(user).password(new char[0])
                .poolName("resilient").minimumIdle(POOL_SIZE).maximumPoolSize(POOL_SIZE)
                .slowQueryThreshold(Duration.ofSeconds(1)).meterRegistry(new SimpleMeterRegistry())
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        resilient.close();
        hikari.close();
        admin("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
    }

    @Benchmark
    public int rawHikari() throws SQLException {
        try (Connection c = hikari.getConnection()) {
            return inTransaction(c);
        }
    }

    /** Our DataSource used as a plain JDBC DataSource: breaker, statement wrappers, slow log, metrics. */
    @Benchmark
    public int resilientConnection() throws SQLException {
        try (Connection c = resilient.getConnection()) {
            return inTransaction(c);
        }
    }

    /** A unit of work: all of the above plus the retry policy, rollback handling and in-flight tracking. */
    @Benchmark
    public int resilientTransaction() throws SQLException {
        return resilient.transaction(PoolBenchmark::selectOne);
    }

    /** What a hand-written JDBC transaction does: autocommit off, the statement, commit or roll back. */
    private static int inTransaction(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try {
            int one = selectOne(c);
            c.commit();
            return one;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static int selectOne(Connection c) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, "");
             Statement statement = c.createStatement()) {
            statement.execute(sql);
        }
    }
}
