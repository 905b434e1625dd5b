package dev.resilience.pool;

import static dev.resilience.pool.TransactionsIT.execute;
import static dev.resilience.pool.TransactionsIT.queryInt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.TcpProxy;
import dev.resilience.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database going away, being demoted, and replicas: breaker, eviction, routing and health. */
class FailoverIT {

    private static final String PRIMARY = "resilience_pool_failover_it";
    private static final String REPLICA = "resilience_pool_replica_it";
    private static final String READ_ONLY = "resilience_pool_readonly_it";
    private static final String OWN_READ_ONLY = "resilience_pool_own_readonly_it";
    private static final String WHERE_AM_I = "SELECT name FROM whereami";

    @BeforeAll
    static void createDatabases() throws SQLException {
        LogCapture.start();
        for (String database : List.of(PRIMARY, REPLICA, READ_ONLY, OWN_READ_ONLY)) {
            TestDatabase.create(database);
            TestDatabase.execute(database, "CREATE TABLE whereami (name text); INSERT INTO whereami VALUES ('" + database + "');"
                    + "CREATE TABLE lag (seconds float); INSERT INTO lag VALUES (0)");
        }
    }

    @AfterAll
    static void dropDatabases() throws SQLException {
        for (String database : List.of(PRIMARY, REPLICA, READ_ONLY, OWN_READ_ONLY)) {
            TestDatabase.drop(database);
        }
        assertThat(LogCapture.linesContaining(TestDatabase.PASSWORD)).isEmpty();
    }

    @Test
    void breakerRejectsAtOnceWhileTheDatabaseIsUnreachableAndClosesWhenItReturns() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("it-acquisition").failureRateThreshold(50).countBasedWindow(4)
                .minimumNumberOfCalls(2).openDuration(Duration.ofSeconds(1)).permittedCallsInHalfOpen(1).build();
        TransactionOptions once = TransactionOptions.builder().maxAttempts(1).build();
        try (TcpProxy proxy = TcpProxy.start(TestServices.postgresHost(), TestServices.postgresPort());
             ResilientDataSource db = TestDatabase.smallPool(proxiedUrl(proxy, PRIMARY), "it-breaker")
                     .connectionTimeout(Duration.ofSeconds(3)).validationTimeout(Duration.ofMillis(250))
                     .driverProperty("socketTimeout", "3") // a connection lent just before the blackhole fails, not hangs
                     .acquisitionBreaker(breaker).build()) {
            int one = db.transaction(once, c -> queryInt(c, "SELECT 1"));
            assertThat(one).isEqualTo(1);

            proxy.blackhole();
            await().atMost(Duration.ofSeconds(20)).until(() -> failsWith(db, once) instanceof CallNotPermittedException);

            long start = System.nanoTime();
            Throwable rejected = failsWith(db, once);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(rejected).isInstanceOf(CallNotPermittedException.class);
            assertThat(took).isLessThan(Duration.ofSeconds(1)); // far below the 3 s acquire timeout
            assertThat(db.asHealthCheck().check().status()).isEqualTo(HealthStatus.DOWN);

            proxy.heal();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> db.transaction(once, c -> queryInt(c, "SELECT 1")) == 1);
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void readOnlyPrimaryGetsItsConnectionsEvictedAndWorkRetriedOnANewPrimary() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TestDatabase.admin("ALTER DATABASE " + READ_ONLY + " SET default_transaction_read_only = on");
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(READ_ONLY), "it-readonly")
                .minimumIdle(3).maximumPoolSize(3).meterRegistry(registry).build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> backends(READ_ONLY).size() == 3);
            Set<Integer> demoted = backends(READ_ONLY);
            // the failover: sessions opened from now on are read-write, the pooled ones stay read-only
            TestDatabase.admin("ALTER DATABASE " + READ_ONLY + " RESET default_transaction_read_only");

            boolean written = db.transaction(c -> execute(c, "INSERT INTO whereami VALUES ('written')"));

            assertThat(written).isTrue();
            assertThat(registry.get("resilience.pool.evictions").counter().count()).isEqualTo(1);
            assertThat(LogCapture.linesContaining("Pool it-readonly: the primary answered 'read-only transaction'")).hasSize(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(backends(READ_ONLY)).doesNotContainAnyElementsOf(demoted));
        } finally {
            TestDatabase.admin("ALTER DATABASE " + READ_ONLY + " RESET default_transaction_read_only");
        }
    }

    @Test
    void writeInATransactionTheApplicationMadeReadOnlyEvictsNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(OWN_READ_ONLY), "it-own-readonly")
                .minimumIdle(2).maximumPoolSize(2).meterRegistry(registry).build()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> backends(OWN_READ_ONLY).size() == 2);
            Set<Integer> before = backends(OWN_READ_ONLY);

            // readOnly(...) work that writes, on the primary since there is no replica
            assertThatThrownBy(() -> db.readOnly(c -> execute(c, "INSERT INTO whereami VALUES ('written')")))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            // and a plain connection the application made read-only
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                c.setReadOnly(true);
                assertThatThrownBy(() -> execute(c, "INSERT INTO whereami VALUES ('written')"))
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
                c.rollback();
            }

            assertThat(registry.get("resilience.pool.evictions").counter().count()).isZero();
            assertThat(registry.get("resilience.pool.retries").counter().count()).isZero();
            assertThat(LogCapture.linesContaining("Pool it-own-readonly: the primary answered")).isEmpty();
            assertThat(backends(OWN_READ_ONLY)).isEqualTo(before);
            boolean written = db.transaction(c -> execute(c, "INSERT INTO whereami VALUES ('written')"));
            assertThat(written).isTrue();
        }
    }

    @Test
    void readOnlyWorkGoesToAReplicaUnderTheLagLimitAndFallsBackToThePrimary() throws Exception {
        try (TcpProxy replicaProxy = TcpProxy.start(TestServices.postgresHost(), TestServices.postgresPort());
             ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(PRIMARY), "it-replicas")
                     .connectionTimeout(Duration.ofSeconds(4)) // bounds the lag check of the unreachable replica
                     .replica(proxiedUrl(replicaProxy, REPLICA))
                     .replicaLagQuery("SELECT seconds FROM lag").replicaMaxLag(Duration.ofSeconds(5))
                     .replicaLagCheckInterval(Duration.ZERO).build()) {

            assertThat(readOnlyWhere(db)).isEqualTo(REPLICA);
            assertThat(readWriteWhere(db)).isEqualTo(PRIMARY);

            TestDatabase.execute(REPLICA, "UPDATE lag SET seconds = 30");
            assertThat(readOnlyWhere(db)).isEqualTo(PRIMARY);

            TestDatabase.execute(REPLICA, "UPDATE lag SET seconds = NULL");
            assertThat(readOnlyWhere(db)).isEqualTo(REPLICA);

            replicaProxy.refuseConnections();
            replicaProxy.cutConnections();
            assertThat(readOnlyWhere(db)).isEqualTo(PRIMARY);
            HealthCheckResult health = db.asHealthCheck().check();
            assertThat(health.details()).containsKey("replicas");
        }
    }

    @Test
    void defaultLagQueryTreatsADatabaseThatIsNotAStandbyAsCaughtUp() throws SQLException {
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(PRIMARY), "it-default-lag")
                .replica(TestDatabase.url(REPLICA)).build()) {

            assertThat(readOnlyWhere(db)).isEqualTo(REPLICA);
        }
    }

    @Test
    void healthIsUpWithPoolFiguresAndDegradedWhenSaturated() throws Exception {
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(PRIMARY), "it-health").maximumPoolSize(2).build()) {
            HealthCheckResult up = db.asHealthCheck().check();
            assertThat(up.status()).isEqualTo(HealthStatus.UP);
            assertThat(up.details()).containsKeys("active", "idle", "pending", "total", "max").containsEntry("max", 2);

            List<Connection> held = new ArrayList<>();
            try {
                held.add(db.getConnection());
                held.add(db.getConnection());

                HealthCheckResult saturated = db.asHealthCheck().check();

                assertThat(saturated.status()).isEqualTo(HealthStatus.DEGRADED);
                assertThat(saturated.message()).contains("saturated");
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void healthIsDegradedWithThePendingCountWhileThreadsWaitAndUpAgainAfterRelease() throws Exception {
        int waiting = 3;
        ExecutorService threads = Executors.newFixedThreadPool(1 + waiting);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ResilientDataSource db = TestDatabase.smallPool(TestDatabase.url(PRIMARY), "it-health-pending")
                .minimumIdle(1).maximumPoolSize(1).healthPendingThreshold(2).build()) {
            Future<?> holder = threads.submit(() -> {
                try (Connection c = db.getConnection()) {
                    held.countDown();
                    release.await();
                }
                return null;
            });
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiters = new ArrayList<>();
            for (int i = 0; i < waiting; i++) {
                waiters.add(threads.submit(() -> db.transaction(c -> queryInt(c, "SELECT 1"))));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> db.asHealthCheck().check().details().get("pending").equals(waiting));

            HealthCheckResult queued = db.asHealthCheck().check();

            assertThat(queued.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(queued.details()).containsEntry("pending", waiting).containsEntry("active", 1).containsEntry("max", 1);
            assertThat(queued.message()).contains("3 threads wait for a connection (threshold 2)");

            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
            for (Future<Integer> waiter : waiters) {
                assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
            HealthCheckResult released = db.asHealthCheck().check();
            assertThat(released.status()).isEqualTo(HealthStatus.UP);
            assertThat(released.details()).containsEntry("pending", 0);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static Throwable failsWith(ResilientDataSource db, TransactionOptions options) {
        try {
            db.transaction(options, c -> queryInt(c, "SELECT 1"));
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static String readOnlyWhere(ResilientDataSource db) throws SQLException {
        return db.readOnly(c -> text(c, WHERE_AM_I));
    }

    private static String readWriteWhere(ResilientDataSource db) throws SQLException {
        return db.transaction(c -> text(c, WHERE_AM_I));
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Set<Integer> backends(String database) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(TestServices.postgresUrl("postgres"));
             Statement statement = c.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" + database + "'")) {
            Set<Integer> pids = new HashSet<>();
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
            return pids;
        }
    }

    private static String proxiedUrl(TcpProxy proxy, String database) {
        return "jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/" + database;
    }
}
