package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dead tasks leave the dead letter queue after the retention: into dead_archive, or deleted. */
class DeadLetterRetentionIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("retention");

    private static final TaskPolicy ONE_ATTEMPT = TaskPolicy.builder().maxAttempts(1).build();

    @Test
    void startedQueueArchivesADeadTaskOnceItsRetentionHasPassedWithPayloadAndHistory() throws Exception {
        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("archived").pollInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(1)).heartbeatInterval(Duration.ofMillis(200))
                .deadLetterRetention(Duration.ofSeconds(2), DeadLetterRetention.ARCHIVE)
                .handler("hook", task -> {
                    throw new IllegalStateException("partner gone");
                }, ONE_ATTEMPT).build()) {
            queue.start();
            long id = queue.enqueue(Task.json("hook", "{\"order\":7}").idempotencyKey("order-7").build()).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.ofId(id), 1).size() == 1);

            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM archived.dead_archive") == 1);

            assertThat(db.count("SELECT count(*) FROM archived.tasks")).isZero();
            assertThat(queue.deadLetters().list(DeadLetterFilter.all(), 10)).isEmpty();
            assertThat(db.count("SELECT count(*) FROM archived.dead_archive WHERE id = " + id
                    + " AND convert_from(payload, 'UTF8') = '{\"order\":7}' AND idempotency_key = 'order-7' AND attempts = 1"
                    + " AND history -> 0 ->> 'message' = 'partner gone'"
                    + " AND archived_at >= dead_at + interval '2 seconds'")).isEqualTo(1);
            // the key is free again
            assertThat(queue.enqueue(Task.json("hook", "{}").idempotencyKey("order-7").build()).duplicate()).isFalse();
        }
    }

    @Test
    void applyRetentionArchivesOnlyTheTasksDeadLongerThanTheRetention() throws Exception {
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("manual")
                .deadLetterRetention(Duration.ofDays(7), DeadLetterRetention.ARCHIVE).handler("hook", task -> { }).build();
        queue.migrate();
        long old = queue.enqueue(Task.json("hook", "{}").build()).id();
        long recent = queue.enqueue(Task.json("hook", "{}").build()).id();
        long ready = queue.enqueue(Task.json("hook", "{}").build()).id();
        db.execute("UPDATE manual.tasks SET state = 'dead', attempts = 5, finished_at = now() - interval '8 days' WHERE id = " + old,
                "UPDATE manual.tasks SET state = 'dead', attempts = 5, finished_at = now() - interval '6 days' WHERE id = " + recent);

        assertThat(queue.deadLetters().applyRetention()).isEqualTo(1);

        assertThat(queue.deadLetters().list(DeadLetterFilter.all(), 10)).extracting(DeadTask::id).containsExactly(recent);
        assertThat(db.count("SELECT count(*) FROM manual.tasks WHERE state = 'ready' AND id = " + ready)).isEqualTo(1);
        assertThat(db.count("SELECT id FROM manual.dead_archive")).isEqualTo(old);
        assertThat(queue.deadLetters().applyRetention()).isZero();
    }

    @Test
    void deleteActionDeletesExpiredDeadTasksWithoutArchivingThem() throws Exception {
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("deleted")
                .deadLetterRetention(Duration.ofHours(1), DeadLetterRetention.DELETE).handler("hook", task -> { }).build();
        queue.migrate();
        db.execute("INSERT INTO deleted.tasks (type, payload, state, attempts, finished_at)"
                + " SELECT 'hook', '\\x', 'dead', 5, now() - interval '2 hours' FROM generate_series(1, 2500)");
        long recent = queue.enqueue(Task.json("hook", "{}").build()).id();
        db.execute("UPDATE deleted.tasks SET state = 'dead', finished_at = now() - interval '59 minutes' WHERE id = " + recent);

        assertThat(queue.deadLetters().applyRetention()).isEqualTo(2500);   // in statements of 1,000

        assertThat(db.count("SELECT count(*) FROM deleted.tasks")).isEqualTo(1);
        assertThat(db.count("SELECT id FROM deleted.tasks")).isEqualTo(recent);
        assertThat(db.count("SELECT count(*) FROM deleted.dead_archive")).isZero();
    }
}
