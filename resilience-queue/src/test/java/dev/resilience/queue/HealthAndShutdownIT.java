package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.HealthStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The health check against a real and an unreachable database, and graceful shutdown. */
class HealthAndShutdownIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("health");

    @Test
    void healthIsUpThenDegradedWhenTheOldestReadyTaskWaitsTooLong() throws Exception {
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("health").handler("job", task -> { }).build();
        queue.migrate();
        assertThat(queue.asHealthCheck(Duration.ofMinutes(1)).check().status()).isEqualTo(HealthStatus.UP);

        queue.enqueue(Task.json("job", "{}").runAt(Instant.now().minus(Duration.ofMinutes(10))).build());

        HealthCheckResult result = queue.asHealthCheck(Duration.ofMinutes(1)).check();
        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.details()).containsEntry("ready", 1L);
        assertThat((Long) result.details().get("oldestReadySeconds")).isBetween(590L, 700L);
    }

    @Test
    void healthIsDownWhenTheDatabaseIsUnreachable() throws Exception {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nowhere.setUrl("jdbc:postgresql://127.0.0.1:" + closed.getLocalPort() + "/none?user=postgres&connectTimeout=2");
        }
        TaskQueue queue = TaskQueue.builder(nowhere).handler("job", task -> { }).build();
        HealthCheckResult result = queue.asHealthCheck(Duration.ofMinutes(1)).check();
        assertThat(result.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(result.message()).contains("unreachable");
    }

    @Test
    void closeStopsClaimingAndLetsTheRunningHandlerFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("graceful").workers(2).handler("job", task -> {
            started.countDown();
            release.await(60, TimeUnit.SECONDS);
        }).build();
        queue.start();
        long running = queue.enqueue(Task.json("job", "first").build()).id();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(queue::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM pg_stat_activity"
                + " WHERE query LIKE 'LISTEN%' AND state = 'idle' AND datname = current_database()") == 0);
        long late = queue.enqueue(Task.json("job", "late").build()).id();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> !closing.isDone());

        release.countDown();
        closing.get(30, TimeUnit.SECONDS);
        assertThat(db.count("SELECT count(*) FROM graceful.tasks WHERE id = " + running)).isZero();
        assertThat(db.count("SELECT attempts FROM graceful.tasks WHERE state = 'ready' AND id = " + late)).isZero();
    }

    @Test
    void handlerStillRunningAfterTheShutdownBoundIsInterruptedAndItsTaskRunsAgainLater() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("bounded").shutdownTimeout(Duration.ofMillis(500))
                .handler("job", task -> {
                    started.countDown();
                    new CountDownLatch(1).await();   // until interrupted
                }).build();
        queue.start();
        long id = queue.enqueue(Task.json("job", "{}").build()).id();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        queue.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM bounded.tasks WHERE state = 'ready'"
                + " AND history -> -1 ->> 'error' = 'java.lang.InterruptedException' AND id = " + id) == 1);
    }
}
