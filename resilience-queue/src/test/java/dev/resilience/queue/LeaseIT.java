package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leases: redelivered after a dead worker's lease expires, never while a live worker heartbeats. */
class LeaseIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("lease");

    private static TaskQueue.Builder queue(String schema) {
        return TaskQueue.builder(db.dataSource).schema(schema).pollInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(1)).heartbeatInterval(Duration.ofMillis(250));
    }

    @Test
    void taskOfWorkerThatStoppedHeartbeatingIsRedeliveredOnlyAfterItsLeaseExpires() throws Exception {
        List<TaskContext> runs = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = queue("dead_worker").handler("job", runs::add).build()) {
            queue.migrate();
            long id = queue.enqueue(Task.json("job", "{}").build()).id();
            // a worker in another process claimed it, then died: its lease runs for 3 more seconds
            db.execute("UPDATE dead_worker.tasks SET state = 'running', attempts = 1, lease_owner = 'dead-worker',"
                    + " lease_until = now() + interval '3 seconds' WHERE id = " + id);
            long claimedAt = System.nanoTime();
            queue.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 1);
            assertThat(Duration.ofNanos(System.nanoTime() - claimedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        }
        TaskContext redelivered = runs.get(0);
        assertThat(redelivered.attempt()).isEqualTo(2);
        assertThat(redelivered.previousFailure().orElseThrow().error()).isEqualTo("lease expired");
        assertThat(redelivered.previousFailure().orElseThrow().message()).contains("dead-worker");
    }

    @Test
    void liveWorkerKeepsItsTaskFarBeyondTheLeaseDuration() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        CountDownLatch finish = new CountDownLatch(1);
        TaskHandler slow = task -> {
            runs.add(Thread.currentThread().getName());
            finish.await(60, TimeUnit.SECONDS);
        };
        try (TaskQueue first = queue("alive").instanceName("first").handler("job", slow).build();
             TaskQueue second = queue("alive").instanceName("second").handler("job", slow).build()) {
            first.start();
            second.start();
            first.enqueue(Task.json("job", "{}").build());

            // four leases long: the other instance polls five times a second and never gets it
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 1);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
            finish.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM alive.tasks") == 0);
        }
        assertThat(runs).hasSize(1);
    }

    @Test
    void handlerPastItsDeadlineLosesTheLeaseAndItsLateOutcomeChangesNothing() throws Exception {
        ManualClock clock = new ManualClock();
        List<TaskContext> runs = new CopyOnWriteArrayList<>();
        CountDownLatch finish = new CountDownLatch(1);
        TaskPolicy policy = TaskPolicy.builder().timeout(Duration.ofMinutes(1)).build();
        try (TaskQueue queue = queue("deadline").clock(clock).workers(2).handler("job", task -> {
            runs.add(task);
            if (task.attempt() == 1) {
                finish.await(60, TimeUnit.SECONDS);
                throw new IllegalStateException("too late");
            }
        }, policy).build()) {
            queue.start();
            queue.enqueue(Task.json("job", "{}").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 1);
            assertThat(runs.get(0).deadline()).isEqualTo(clock.now().plus(Duration.ofMinutes(1)));

            clock.advance(Duration.ofMinutes(2));   // the first attempt is past its deadline: no more heartbeats

            await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM deadline.tasks") == 0);
            finish.countDown();    // the first attempt fails late: fenced, it neither retries nor dead-letters
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.inFlight() == 0);
            assertThat(db.count("SELECT count(*) FROM deadline.tasks")).isZero();
        }
        assertThat(runs).extracting(TaskContext::attempt).containsExactly(1, 2);
    }

    @Test
    void taskWhoseLastAllowedAttemptLostItsLeaseIsDeadLetteredWithoutRunningAgain() throws Exception {
        List<TaskContext> runs = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = queue("exhausted").handler("job", runs::add, TaskPolicy.builder().maxAttempts(3).build()).build()) {
            queue.migrate();
            long id = queue.enqueue(Task.json("job", "{}").build()).id();
            // its third and last attempt ran on a worker that died (a poison task that kills the JVM, say)
            db.execute("UPDATE exhausted.tasks SET state = 'running', attempts = 3, lease_owner = 'crashed-worker',"
                    + " lease_until = now() - interval '1 second' WHERE id = " + id);
            queue.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.ofId(id), 1).size() == 1);
            DeadTask dead = queue.deadLetters().list(DeadLetterFilter.ofId(id), 1).get(0);
            assertThat(dead.history()).extracting(AttemptFailure::error)
                    .containsExactly("lease expired", IllegalStateException.class.getName());
            assertThat(dead.lastFailure().message()).contains("exceeds maxAttempts 3");
        }
        assertThat(runs).isEmpty();
    }
}
