package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Outbox enqueue: inside the caller's transaction, one statement, idempotency keys. */
class EnqueueIT {

    @RegisterExtension
    static final QueueDb db = new QueueDb("enqueue");

    @Test
    void taskEnqueuedInRolledBackTransactionNeverRuns() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("rollback")
                .handler("mail", task -> ran.add(task.payloadAsString())).build()) {
            queue.start();
            try (Connection c = db.dataSource.getConnection()) {
                c.setAutoCommit(false);
                queue.enqueue(c, Task.json("mail", "rolled back").build());
                c.rollback();
                queue.enqueue(c, Task.json("mail", "committed").build());
                c.commit();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("committed"));
        }
        assertThat(ran).containsExactly("committed");
        assertThat(db.count("SELECT count(*) FROM rollback.tasks")).isZero();
    }

    @Test
    void taskEnqueuedInTransactionIsInvisibleUntilCommit() throws Exception {
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("outbox").handler("mail", task -> { }).build();
        queue.migrate();
        try (Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            queue.enqueue(c, Task.json("mail", "{}").build());
            assertThat(db.count("SELECT count(*) FROM outbox.tasks")).isZero();
            c.commit();
        }
        assertThat(db.count("SELECT count(*) FROM outbox.tasks")).isOne();
    }

    @Test
    void duplicateIdempotencyKeyIsANoOpThatSaysSo() throws Exception {
        TaskQueue queue = TaskQueue.builder(db.dataSource).schema("dedup").handler("mail", task -> { }).build();
        queue.migrate();

        EnqueueResult first = queue.enqueue(Task.json("mail", "a").idempotencyKey("order-1").build());
        EnqueueResult second = queue.enqueue(Task.json("mail", "b").idempotencyKey("order-1").build());
        EnqueueResult otherType = queue.enqueue(Task.json("sms", "c").idempotencyKey("order-1").build());

        assertThat(first.duplicate()).isFalse();
        assertThat(second).isEqualTo(new EnqueueResult(first.id(), true));
        assertThat(otherType.duplicate()).isFalse();
        assertThat(db.count("SELECT count(*) FROM dedup.tasks")).isEqualTo(2);
    }

    @Test
    void keyStaysTakenAfterSuccessUntilPurged() throws Exception {
        List<Long> ran = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("done").handler("mail", task -> ran.add(task.id()))
                .build()) {
            queue.start();
            EnqueueResult first = queue.enqueue(Task.json("mail", "a").idempotencyKey("k").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains(first.id()));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM done.tasks WHERE state = 'done'") == 1);

            assertThat(queue.enqueue(Task.json("mail", "again").idempotencyKey("k").build()).duplicate()).isTrue();
            assertThat(queue.purgeDone(Duration.ZERO)).isOne();
            assertThat(queue.enqueue(Task.json("mail", "again").idempotencyKey("k").build()).duplicate()).isFalse();
        }
    }

    @Test
    void handlerGetsPayloadKeyAttemptAndDeadline() throws Exception {
        List<TaskContext> seen = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = TaskQueue.builder(db.dataSource).schema("context").handler("mail", seen::add).build()) {
            queue.start();
            queue.enqueue(Task.of("mail", new byte[] {1, 2, 3}).idempotencyKey("key-7").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 1);
        }
        TaskContext task = seen.get(0);
        assertThat(task.payload()).containsExactly(1, 2, 3);
        assertThat(task.idempotencyKey()).contains("key-7");
        assertThat(task.attempt()).isOne();
        assertThat(task.previousFailure()).isEmpty();
        assertThat(task.deadline()).isAfter(Instant.now().plusSeconds(200));
    }

    @Test
    void taskWaitsForItsRunAtAndHigherPriorityRunsFirst() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        TaskQueue.Builder builder = TaskQueue.builder(db.dataSource).schema("order").workers(1).batchSize(1)
                .pollInterval(Duration.ofMillis(200)).handler("t", task -> ran.add(task.payloadAsString()));
        try (TaskQueue queue = builder.build()) {
            queue.migrate();
            queue.enqueue(Task.json("t", "later").runAt(Instant.now().plusSeconds(2)).build());
            queue.enqueue(Task.json("t", "low").priority(-1).build());
            queue.enqueue(Task.json("t", "high").priority(5).build());
            queue.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.size() == 3);
        }
        assertThat(ran).containsExactly("high", "low", "later");
    }

    @Test
    void withoutPgjdbcConnectionsThereIsNoListenAndThePollFindsTasks() throws Exception {
        javax.sql.DataSource wrapped = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class}, (proxy, method, args) -> {
                    Object result = method.invoke(db.dataSource, args);
                    return result instanceof Connection ? opaque((Connection) result) : result;
                });
        List<String> ran = new CopyOnWriteArrayList<>();
        try (TaskQueue queue = TaskQueue.builder(wrapped).schema("nolisten").pollInterval(Duration.ofMillis(300))
                .handler("mail", task -> ran.add(task.payloadAsString())).build()) {
            queue.start();
            queue.enqueue(Task.json("mail", "polled").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("polled"));
        }
    }

    /** A connection that hides the driver: unwrap and isWrapperFor know nothing. */
    private static Connection opaque(Connection real) {
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(EnqueueIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isWrapperFor")) {
                        return false;
                    }
                    if (method.getName().equals("unwrap")) {
                        throw new java.sql.SQLException("not a wrapper");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
