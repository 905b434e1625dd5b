package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.PostgresCluster;
import dev.resilience.testkit.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary that turns read-only (demoted, with no new primary to go to) while writers keep writing:
 * the pool evicts its connections once, then backs off, so the logins it causes stay bounded. Logins
 * are counted by a {@link TcpProxy} in front of a PostgreSQL cluster of the test's own.
 */
class DemotionIT {

    private static final Logger LOG = LoggerFactory.getLogger(DemotionIT.class);
    private static final int POOL_SIZE = 4;
    private static final int WRITERS = 3;
    private static final Duration DEMOTION = Duration.ofSeconds(8);

    @Test
    void writersOnAReadOnlyPrimaryCauseAtMostTwoEvictionsOfReconnectsIn8Seconds() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService threads = Executors.newFixedThreadPool(WRITERS);
        try (PostgresCluster cluster = PostgresCluster.start();
             TcpProxy proxy = TcpProxy.start(cluster.host(), cluster.port())) {
            cluster.createDatabase("demotion");
            cluster.psql("demotion", "CREATE TABLE orders (id bigserial PRIMARY KEY, total numeric)");
            try (ResilientDataSource db = ResilientDataSource.builder()
                    .url("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/demotion?user=postgres")
                    .poolName("it-demotion").minimumIdle(POOL_SIZE).maximumPoolSize(POOL_SIZE).meterRegistry(registry)
                    .build()) {
                // Given a warm 4-connection pool on a primary that is then demoted (every transaction read-only)
                for (int i = 0; i < 20; i++) {
                    db.transaction(c -> insert(c));
                }
                cluster.setReadOnly(true);
                int loginsBefore = proxy.acceptedConnections();

                // When three writers keep writing for 8 s
                long end = System.nanoTime() + DEMOTION.toNanos();
                AtomicInteger failedUnits = new AtomicInteger();
                List<CompletableFuture<Void>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    writers.add(CompletableFuture.runAsync(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                db.transaction(c -> insert(c));
                            } catch (Exception e) {
                                failedUnits.incrementAndGet();
                            }
                        }
                    }, threads));
                }
                CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                int logins = proxy.acceptedConnections() - loginsBefore;
                double evictions = registry.get("resilience.pool.evictions").counter().count();
                LOG.info("Demotion churn: {} logins and {} evictions in {} s with {} writers on a {}-connection pool "
                        + "({} units of work failed)", logins, (long) evictions, DEMOTION.toSeconds(), WRITERS, POOL_SIZE,
                        failedUnits.get());

                // Then the writes failed, but the pool was evicted only at the demotion and once 5 s later,
                // so it opened at most two pool's worth of new connections (plus the outage probe's, if any)
                assertThat(failedUnits.get()).isPositive();
                assertThat(evictions).isEqualTo(2);
                assertThat(logins).isLessThanOrEqualTo(3 * POOL_SIZE);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean insert(java.sql.Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("INSERT INTO orders (total) VALUES (1)") == 1;
        }
    }
}
