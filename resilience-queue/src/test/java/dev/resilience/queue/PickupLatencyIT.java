package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An idle queue picks a committed task up on its NOTIFY, not on the (here one-minute) poll. */
class PickupLatencyIT {

    static final int TASKS = 200;
    @RegisterExtension
    static final QueueDb db = new QueueDb("pickup");

    @Test
    void idleWorkersStartACommittedTaskOnItsNotification() throws Exception {
        AtomicLongArray startedAt = new AtomicLongArray(TASKS);
        long[] committedAt = new long[TASKS];
        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("pickup").pollInterval(Duration.ofMinutes(1))
                .handler("noop", task -> startedAt.set(ByteBuffer.wrap(task.payload()).getInt(), System.nanoTime())).build()) {
            queue.start();
            for (int n = 0; n < TASKS; n++) {
                try (Connection c = db.dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    queue.enqueue(c, Task.of("noop", ByteBuffer.allocate(4).putInt(n).array()).build());
                    c.commit();
                    committedAt[n] = System.nanoTime();
                }
                int task = n;
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(30))
                        .until(() -> startedAt.get(task) != 0);
            }
        }
        long[] micros = new long[TASKS];
        for (int n = 0; n < TASKS; n++) {
            micros[n] = Math.max(0, (startedAt.get(n) - committedAt[n]) / 1000);
        }
        Arrays.sort(micros);
        System.out.printf("PickupLatencyIT: commit to handler start over %d idle pickups: P50 %.1f ms, P99 %.1f ms, max %.1f ms%n",
                TASKS, micros[TASKS / 2] / 1000.0, micros[TASKS * 99 / 100] / 1000.0, micros[TASKS - 1] / 1000.0);
        // far below the one-minute poll: every pickup came from the NOTIFY
        assertThat(micros[TASKS - 1]).isLessThan(Duration.ofSeconds(10).toNanos() / 1000);
    }
}
