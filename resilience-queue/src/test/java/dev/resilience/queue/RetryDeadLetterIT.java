package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries with backoff, the dead letter queue with its history, reprocess and discard. */
class RetryDeadLetterIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("retry");

    private static TaskQueue.Builder queue(String schema) {
        return TaskQueue.builder(db.dataSource).schema(schema).pollInterval(Duration.ofMillis(100));
    }

    @Test
    void failingTaskIsRetriedWithBackoffThenDeadLetteredWithItsWholeHistory() throws Exception {
        List<TaskContext> runs = new CopyOnWriteArrayList<>();
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        TaskPolicy policy = TaskPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(300))).build();
        try (TaskQueue queue = queue("dead").handler("hook", task -> {
            runs.add(task);
            startedAt.add(System.nanoTime());
            throw new IllegalStateException("boom " + task.attempt());
        }, policy).build()) {
            queue.start();
            long id = queue.enqueue(Task.json("hook", "{}").build()).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 1);

            DeadTask dead = queue.deadLetters().list(DeadLetterFilter.ofId(id), 10).get(0);
            assertThat(dead.attempts()).isEqualTo(3);
            assertThat(dead.history()).extracting(AttemptFailure::attempt).containsExactly(1, 2, 3);
            assertThat(dead.history()).extracting(AttemptFailure::message).containsExactly("boom 1", "boom 2", "boom 3");
            assertThat(dead.history()).allSatisfy(failure -> {
                assertThat(failure.error()).isEqualTo(IllegalStateException.class.getName());
                assertThat(failure.stack()).contains("RetryDeadLetterIT").hasSizeLessThanOrEqualTo(AttemptFailure.MAX_STACK);
                assertThat(failure.at()).isBeforeOrEqualTo(dead.deadAt());
            });
        }
        assertThat(runs).extracting(TaskContext::attempt).containsExactly(1, 2, 3);
        assertThat(runs.get(0).previousFailure()).isEmpty();
        assertThat(runs.get(2).previousFailure().orElseThrow().message()).isEqualTo("boom 2");
        for (int i = 1; i < startedAt.size(); i++) {
            assertThat(Duration.ofNanos(startedAt.get(i) - startedAt.get(i - 1))).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void reprocessedDeadTaskRunsAgainFromAttemptOneAndSucceeds() throws Exception {
        AtomicBoolean remoteDown = new AtomicBoolean(true);
        List<Integer> succeeded = new CopyOnWriteArrayList<>();
        TaskPolicy policy = TaskPolicy.builder().maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(50))).build();
        try (TaskQueue queue = queue("reprocess").handler("hook", task -> {
            if (remoteDown.get()) {
                throw new java.io.IOException("connection refused");
            }
            succeeded.add(task.attempt());
        }, policy).build()) {
            queue.start();
            long id = queue.enqueue(Task.json("hook", "{}").build()).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.ofId(id), 1).size() == 1);

            remoteDown.set(false);
            assertThat(queue.deadLetters().reprocess(DeadLetterFilter.ofId(id))).isOne();

            await().atMost(Duration.ofSeconds(30)).until(() -> succeeded.size() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM reprocess.tasks") == 0);
            assertThat(succeeded).containsExactly(1);
            assertThat(queue.deadLetters().list(DeadLetterFilter.all(), 10)).isEmpty();
        }
    }

    @Test
    void failureTheRetryPredicateRejectsGoesStraightToTheDeadLetterQueue() throws Exception {
        TaskPolicy policy = TaskPolicy.builder().maxAttempts(5).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .retryOn(error -> !(error instanceof IllegalArgumentException)).build();
        try (TaskQueue queue = queue("noretry").handler("hook", task -> {
            throw new IllegalArgumentException("400 bad request");
        }, policy).build()) {
            queue.start();
            queue.enqueue(Task.json("hook", "{}").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> queue.deadLetters().list(DeadLetterFilter.all(), 10).size() == 1);
            DeadTask dead = queue.deadLetters().list(DeadLetterFilter.all(), 10).get(0);
            assertThat(dead.attempts()).isOne();
            assertThat(dead.lastFailure().message()).isEqualTo("400 bad request");
        }
    }

    @Test
    void retryAfterGivenByTheHandlerReplacesTheBackoff() throws Exception {
        List<Long> startedAt = new CopyOnWriteArrayList<>();
        TaskPolicy policy = TaskPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .retryOn(error -> false).build();
        try (TaskQueue queue = queue("retryafter").handler("hook", task -> {
            startedAt.add(System.nanoTime());
            if (task.attempt() == 1) {
                throw new RetryAfterException(Duration.ofSeconds(2), "429 Too Many Requests");
            }
        }, policy).build()) {
            queue.start();
            queue.enqueue(Task.json("hook", "{}").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> startedAt.size() == 2);
        }
        assertThat(Duration.ofNanos(startedAt.get(1) - startedAt.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void discardAndListFilterByType() throws Exception {
        Map<String, Integer> ran = new ConcurrentHashMap<>();
        TaskPolicy once = TaskPolicy.builder().maxAttempts(1).build();
        try (TaskQueue queue = queue("discard")
                .handler("a", task -> { ran.merge("a", 1, Integer::sum); throw new IllegalStateException("a"); }, once)
                .handler("b", task -> { ran.merge("b", 1, Integer::sum); throw new IllegalStateException("b"); }, once)
                .build()) {
            queue.start();
            for (int i = 0; i < 3; i++) {
                queue.enqueue(Task.json("a", "{}").build());
                queue.enqueue(Task.json("b", "{}").build());
            }
            DeadLetterQueue dlq = queue.deadLetters();
            await().atMost(Duration.ofSeconds(30)).until(() -> dlq.list(DeadLetterFilter.all(), 100).size() == 6);
            assertThat(dlq.list(DeadLetterFilter.ofType("a"), 100)).extracting(DeadTask::type).containsOnly("a").hasSize(3);

            assertThat(dlq.discard(DeadLetterFilter.ofType("a"))).isEqualTo(3);

            assertThat(dlq.list(DeadLetterFilter.all(), 100)).extracting(DeadTask::type).containsOnly("b").hasSize(3);
            assertThat(queue.stats().dead()).isEqualTo(3);
            assertThat(dlq.reprocess(DeadLetterFilter.ofType("b"))).isEqualTo(3);
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.get("b") == 6 && dlq.list(DeadLetterFilter.all(), 100).size() == 3);
        }
    }
}
