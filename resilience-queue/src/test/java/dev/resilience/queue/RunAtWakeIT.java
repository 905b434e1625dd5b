package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task scheduled for later, and a retry after a delay, start at their run-at time, not at the next poll (here one
 * minute): the dispatcher learns the earliest run-at time with every claim and sleeps until then.
 */
class RunAtWakeIT {

    /** The bound the README states; the machine these tests run on is shared and loaded, so it is generous. */
    static final Duration BOUND = Duration.ofSeconds(1);
    @RegisterExtension
    static final QueueDb db = new QueueDb("runat");

    private static TaskQueue.Builder queue(String schema) {
        return TaskQueue.builder(db.dataSource).schema(schema).pollInterval(Duration.ofMinutes(1));
    }

    @Test
    void taskScheduledForLaterStartsAtItsRunAtTimeNotAtTheNextPoll() throws Exception {
        List<Instant> started = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = queue("later").handler("job", task -> started.add(Instant.now())).build()) {
            queue.start();
            Instant runAt = Instant.now().plusMillis(1500);
            queue.enqueue(Task.json("job", "{}").runAt(runAt).build());

            await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 1);

            System.out.printf("RunAtWakeIT: scheduled task started %d ms after its run-at time%n",
                    Duration.between(runAt, started.get(0)).toMillis());
            assertThat(started.get(0)).isAfterOrEqualTo(runAt).isBefore(runAt.plus(BOUND));
        }
    }

    @Test
    void taskScheduledWhileTheDispatcherSleepsTowardsALaterOneStillStartsOnTime() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        List<Instant> at = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = queue("earlier").handler("job", task -> {
            started.add(task.payloadAsString());
            at.add(Instant.now());
        }).build()) {
            queue.start();
            queue.enqueue(Task.json("job", "\"late\"").runAt(Instant.now().plusSeconds(20)).build());
            Instant runAt = Instant.now().plusMillis(1500);
            queue.enqueue(Task.json("job", "\"early\"").runAt(runAt).build());

            await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 1);

            assertThat(started).containsExactly("\"early\"");
            assertThat(at.get(0)).isAfterOrEqualTo(runAt).isBefore(runAt.plus(BOUND));
        }
    }

    @Test
    void retryAfterADelayStartsWhenTheDelayIsOverNotAtTheNextPoll() throws Exception {
        List<Instant> started = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = queue("retry").handler("job", task -> {
            started.add(Instant.now());
            if (task.attempt() == 1) {
                throw new RetryAfterException(Duration.ofMillis(1500), "remote says later");
            }
        }).build()) {
            queue.start();
            queue.enqueue(Task.json("job", "{}").build());

            await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 2);

            Duration gap = Duration.between(started.get(0), started.get(1));
            System.out.printf("RunAtWakeIT: retry started %d ms after the failed attempt (delay 1500 ms)%n", gap.toMillis());
            assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofMillis(1500).plus(BOUND));
        }
    }
}
