package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A busy pool is not an outage: callers that time out waiting for a connection leave the breaker closed. */
class SaturationIT {

    private static final String DATABASE = "resilience_pool_saturation";
    private static String url;

    @BeforeAll
    static void createDatabase() throws Exception {
        url = TestDatabase.create(DATABASE);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        TestDatabase.drop(DATABASE);
    }

    @Test
    void burstOnATwoConnectionPoolTimesOutWaitersButNeverRejectsOnceConnectionsAreFree() throws Exception {
        // Given a 2-connection pool with a 500 ms acquire timeout, both connections held by slow work
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TransactionOptions once = TransactionOptions.builder().maxAttempts(1).build();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (ResilientDataSource db = TestDatabase.smallPool(url, "it-saturation").minimumIdle(2).maximumPoolSize(2)
                .connectionTimeout(Duration.ofMillis(500)).meterRegistry(registry).build()) {
            CountDownLatch holding = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            List<CompletableFuture<Boolean>> holders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holders.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return db.transaction(once, c -> {
                            holding.countDown();
                            try {
                                return release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return false;
                            }
                        });
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, threads));
            }
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            // When a burst of six callers waits for a connection
            List<CompletableFuture<Throwable>> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                burst.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        db.transaction(once, c -> 1);
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                }, threads));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> db.asHealthCheck().check().status() != HealthStatus.UP);
            assertThat(db.asHealthCheck().check().status()).as("health while saturated").isEqualTo(HealthStatus.DEGRADED);
            for (CompletableFuture<Throwable> caller : burst) {
                assertThat(caller.get(30, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("request timed out");
            }
            release.countDown();
            for (CompletableFuture<Boolean> holder : holders) {
                assertThat(holder.get(30, TimeUnit.SECONDS)).isTrue();
            }

            // Then the next caller is served at once (no 5 s of rejections), the waits are counted as
            // saturation, and health is UP again
            int one = db.transaction(once, c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(one).isEqualTo(1);
            assertThat(registry.get("resilience.pool.acquire.timeouts").counter().count()).isEqualTo(6);
            assertThat(registry.get("resilience.pool.outages").counter().count()).isZero();
            // HikariCP's own timeout meter counts each caller once, not each 250 ms slice it waited
            assertThat(registry.get("hikaricp.connections.timeout").counter().count()).isEqualTo(6);
            assertThat(db.asHealthCheck().check().status()).isEqualTo(HealthStatus.UP);
            assertThat(registry.get("resilience.circuitbreaker.state").tag("state", "closed").gauge().value()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }
}
