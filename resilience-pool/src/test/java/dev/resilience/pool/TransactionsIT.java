package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.TcpProxy;
import dev.resilience.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Units of work against the real PostgreSQL: timeouts, slow query log, and retries of real failures. */
class TransactionsIT {

    private static final String DATABASE = "resilience_pool_it";
    private static String url;

    @BeforeAll
    static void createDatabase() throws SQLException {
        LogCapture.start();
        url = TestDatabase.create(DATABASE);
        TestDatabase.execute(DATABASE, "CREATE TABLE ledger (id serial PRIMARY KEY, seen int NOT NULL)");
        TestDatabase.execute(DATABASE, "CREATE TABLE account (id text PRIMARY KEY, balance int NOT NULL)");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        TestDatabase.drop(DATABASE);
        assertThat(LogCapture.linesContaining(TestDatabase.PASSWORD)).isEmpty();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        TestDatabase.execute(DATABASE, "TRUNCATE ledger; DELETE FROM account; "
                + "INSERT INTO account VALUES ('a', 0), ('b', 0)");
    }

    @Test
    void statementOverTheTimeoutIsCancelledAndSurfacesAsQueryTimeoutException() {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-timeout")
                .statementTimeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> db.transaction(c -> execute(c, "SELECT pg_sleep(5)")))
                    .isInstanceOf(QueryTimeoutException.class)
                    .satisfies(e -> assertThat(((QueryTimeoutException) e).sqlState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void perCallStatementTimeoutOverridesThePoolDefault() throws SQLException {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-timeout-override")
                .statementTimeout(Duration.ofMillis(200)).build()) {
            TransactionOptions patient = TransactionOptions.builder().statementTimeout(Duration.ofSeconds(5)).build();

            boolean done = db.transaction(patient, c -> execute(c, "SELECT pg_sleep(0.5)"));

            assertThat(done).isTrue();
        }
    }

    @Test
    void plainConnectionsGetTheStatementTimeoutAndKeepTheJdbcContract() {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-timeout-raw")
                .statementTimeout(Duration.ofMillis(200)).build()) {

            assertThatThrownBy(() -> {
                try (Connection c = db.getConnection()) {
                    execute(c, "SELECT pg_sleep(5)");
                }
            }).isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
        }
    }

    @Test
    void slowStatementIsLoggedWithElapsedTimeAndCountedWithoutItsParameters() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-slow").meterRegistry(registry)
                .slowQueryThreshold(Duration.ofMillis(400)).build()) {

            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?), 'a literal'")) {
                    ps.setDouble(1, 0.6);
                    ps.executeQuery().close();
                }
                return execute(c, "SELECT 1");
            });

            List<String> lines = LogCapture.linesContaining("Slow query on pool it-slow:");
            assertThat(lines).filteredOn(line -> line.contains("pg_sleep")).singleElement().asString()
                    .contains("SELECT pg_sleep(?), 'a literal'").doesNotContain("0.6").containsPattern("\\b([6-9]\\d\\d|\\d{4,}) ms");
            assertThat(registry.get("resilience.pool.slow.queries").tag("pool", "it-slow").counter().count()).isEqualTo(lines.size());
            assertThat(registry.get("resilience.pool.queries").tag("outcome", "success").timer().count()).isEqualTo(2);
            assertThat(registry.find("hikaricp.connections").tag("pool", "it-slow").gauge()).isNotNull();
        }
    }

    @Test
    void slowStatementParametersAreLoggedWhenAskedFor() throws SQLException {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-slow-params")
                .slowQueryThreshold(Duration.ofMillis(100)).logQueryParameters(true).build()) {

            db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
                    ps.setDouble(1, 0.2);
                    return ps.execute();
                }
            });

            assertThat(LogCapture.linesContaining("Slow query on pool it-slow-params")).singleElement()
                    .asString().contains("parameters {1=0.2}");
        }
    }

    @Test
    void serializationFailureIsRetriedAndEachTransactionAppliesOnce() throws Exception {
        TransactionOptions serializable = TransactionOptions.builder().isolation(Isolation.SERIALIZABLE).maxAttempts(5).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-serialization").meterRegistry(registry).build()) {
            CyclicBarrier bothRead = new CyclicBarrier(2);
            AtomicInteger attempts = new AtomicInteger();
            TransactionWork<Integer> countThenInsert = c -> {
                boolean first = attempts.incrementAndGet() <= 2;
                int seen = queryInt(c, "SELECT count(*) FROM ledger");
                if (first) {
                    await(bothRead); // both read before either writes: a real write skew
                }
                execute(c, "INSERT INTO ledger (seen) VALUES (" + seen + ")");
                return seen;
            };

            CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> unchecked(() -> db.transaction(serializable, countThenInsert)));
            CompletableFuture<Integer> two = CompletableFuture.supplyAsync(() -> unchecked(() -> db.transaction(serializable, countThenInsert)));

            assertThat(List.of(one.get(20, TimeUnit.SECONDS), two.get(20, TimeUnit.SECONDS))).containsExactlyInAnyOrder(0, 1);
            assertThat(seenValues()).containsExactlyInAnyOrder(0, 1);
            assertThat(attempts.get()).isEqualTo(3);
            assertThat(registry.get("resilience.pool.retries").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void deadlockIsRetriedAndBothTransfersApplyOnce() throws Exception {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-deadlock").build()) {
            CyclicBarrier bothLocked = new CyclicBarrier(2);
            AtomicInteger attempts = new AtomicInteger();
            CompletableFuture<Void> aThenB = CompletableFuture.runAsync(() -> unchecked(() -> db.transaction(c -> {
                return lockInOrder(c, "a", "b", attempts, bothLocked);
            })));
            CompletableFuture<Void> bThenA = CompletableFuture.runAsync(() -> unchecked(() -> db.transaction(c -> {
                return lockInOrder(c, "b", "a", attempts, bothLocked);
            })));

            CompletableFuture.allOf(aThenB, bThenA).get(30, TimeUnit.SECONDS);

            assertThat(attempts.get()).isEqualTo(3);
            assertThat(balances()).containsExactly(2, 2);
        }
    }

    @Test
    void terminatedBackendIsRetriedOnAFreshConnection() throws SQLException {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-terminate").build()) {
            List<Integer> pids = new ArrayList<>();

            db.transaction(c -> {
                int pid = queryInt(c, "SELECT pg_backend_pid()");
                pids.add(pid);
                execute(c, "INSERT INTO ledger (seen) VALUES (" + pids.size() + ")");
                if (pids.size() == 1) {
                    TestDatabase.admin("SELECT pg_terminate_backend(" + pid + ")");
                }
                return execute(c, "SELECT 1");
            });

            assertThat(pids).hasSize(2).doesNotHaveDuplicates();
            assertThat(seenValues()).containsExactly(2);
        }
    }

    @Test
    void connectionCutMidTransactionIsRetriedOnAFreshConnection() throws SQLException {
        try (TcpProxy proxy = TcpProxy.start(TestServices.postgresHost(), TestServices.postgresPort());
             ResilientDataSource db = TestDatabase.smallPool(proxiedUrl(proxy), "it-cut").build()) {
            AtomicInteger attempts = new AtomicInteger();

            db.transaction(c -> {
                execute(c, "INSERT INTO ledger (seen) VALUES (" + attempts.incrementAndGet() + ")");
                if (attempts.get() == 1) {
                    proxy.cutConnections();
                }
                return execute(c, "SELECT 1");
            });

            assertThat(attempts.get()).isEqualTo(2);
            assertThat(seenValues()).containsExactly(2);
        }
    }

    @Test
    void connectionLostAtCommitIsOutcomeUnknownAndNotRetried() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TcpProxy proxy = TcpProxy.start(TestServices.postgresHost(), TestServices.postgresPort());
             ResilientDataSource db = TestDatabase.smallPool(proxiedUrl(proxy), "it-commit-lost").meterRegistry(registry).build()) {
            AtomicInteger attempts = new AtomicInteger();

            assertThatThrownBy(() -> db.transaction(c -> {
                attempts.incrementAndGet();
                execute(c, "INSERT INTO ledger (seen) VALUES (1)");
                proxy.cutConnections(); // the work is done; the connection dies as the commit goes out
                return true;
            })).isInstanceOf(OutcomeUnknownException.class);
            assertThat(attempts.get()).isEqualTo(1);
            assertThat(registry.get("resilience.pool.outcome.unknown").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void connectionLostAtCommitIsRetriedWhenTheWorkIsIdempotent() throws SQLException {
        TransactionOptions idempotent = TransactionOptions.builder().idempotent(true).build();
        try (TcpProxy proxy = TcpProxy.start(TestServices.postgresHost(), TestServices.postgresPort());
             ResilientDataSource db = TestDatabase.smallPool(proxiedUrl(proxy), "it-commit-idempotent").build()) {
            AtomicInteger attempts = new AtomicInteger();

            db.transaction(idempotent, c -> {
                execute(c, "INSERT INTO ledger (seen) VALUES (" + attempts.incrementAndGet() + ")");
                if (attempts.get() == 1) {
                    proxy.cutConnections();
                }
                return true;
            });

            assertThat(attempts.get()).isEqualTo(2);
            assertThat(seenValues()).containsExactly(2);
        }
    }

    @Test
    void constraintViolationReachesTheCallerUnchangedWithoutRetry() {
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-constraint").build()) {
            AtomicInteger attempts = new AtomicInteger();

            assertThatThrownBy(() -> db.transaction(c -> {
                attempts.incrementAndGet();
                return execute(c, "INSERT INTO account VALUES ('a', 1)");
            })).isInstanceOf(SQLException.class).satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23505"));
            assertThat(attempts.get()).isEqualTo(1);
        }
    }

    @Test
    void closeWaitsForUnitsOfWorkInFlightAndThenRejectsNewOnes() throws Exception {
        ResilientDataSource db = TestDatabase.smallPool(url, "it-shutdown").shutdownTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> inFlight = CompletableFuture.supplyAsync(() -> unchecked(() -> db.transaction(c -> {
            started.countDown();
            return execute(c, "SELECT pg_sleep(0.5)");
        })));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        db.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> db.transaction(c -> execute(c, "SELECT 1"))).hasMessageContaining("closed");
    }

    @Test
    void multiHostUrlWithTargetServerTypePrimaryUsesTheReachablePrimary() throws SQLException {
        String multiHost = url.replace("//", "//127.0.0.1:1,") + "?targetServerType=primary";
        try (ResilientDataSource db = TestDatabase.smallPool(multiHost, "it-multihost").build()) {

            int one = db.transaction(c -> queryInt(c, "SELECT 1"));

            assertThat(one).isEqualTo(1);
        }
    }

    private static Integer lockInOrder(Connection c, String first, String second, AtomicInteger attempts,
                                       CyclicBarrier bothLocked) throws SQLException {
        boolean firstAttempt = attempts.incrementAndGet() <= 2;
        execute(c, "UPDATE account SET balance = balance + 1 WHERE id = '" + first + "'");
        if (firstAttempt) {
            await(bothLocked);
        }
        execute(c, "UPDATE account SET balance = balance + 1 WHERE id = '" + second + "'");
        return 0;
    }

    static String proxiedUrl(TcpProxy proxy) {
        return "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + DATABASE;
    }

    static boolean execute(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute(sql);
            return true;
        }
    }

    static int queryInt(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<Integer> seenValues() throws SQLException {
        return ints("SELECT seen FROM ledger ORDER BY id");
    }

    private static List<Integer> balances() throws SQLException {
        return ints("SELECT balance FROM account ORDER BY id");
    }

    private static List<Integer> ints(String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(TestServices.postgresUrl(DATABASE));
             Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<Integer> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
            return values;
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other transaction did not reach the barrier", e);
        }
    }

    interface SqlCall<T> {
        T call() throws SQLException;
    }

    static <T> T unchecked(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
