package dev.resilience.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process for {@link KillWorkerIT}: runs a queue on {@code args[0]} (JDBC URL), schema
 * {@code args[1]}, whose handler prints {@code started <id>} and then blocks until the process is killed.
 */
public final class BlockingWorkerMain {

    private BlockingWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource pool = QueueDb.dataSource(args[0], 5);
        TaskQueue queue = TaskQueue.builder(pool).schema(args[1]).instanceName("child").workers(2)
                .leaseDuration(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(300))
                .handler("job", task -> {
                    System.out.println("started " + task.id());
                    System.out.flush();
                    new CountDownLatch(1).await();
                }).build();
        queue.start();
        new CountDownLatch(1).await();
    }
}
