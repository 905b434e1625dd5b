package dev.resilience.spring.boot.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.pool.ResilientDataSource;
import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.DeadTask;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskQueue;
import dev.resilience.spring.boot.health.ResilienceHealthAutoConfiguration;
import dev.resilience.spring.boot.pool.ResiliencePoolAutoConfiguration;
import dev.resilience.testkit.TestServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The queue auto-configuration against the real PostgreSQL, on the starter's ResilientDataSource: handler
 * beans run enqueued tasks, a failing type's task lands in the dead letter queue after its configured
 * attempts, the health shows in the starter's {@code resilience} contributor, and closing the context stops
 * the queue before the pool closes. Own schema, dropped afterwards.
 */
class ResilienceQueueSpringBootIT {

    private static final String URL = TestServices.postgresUrl("test");
    private static final String SCHEMA = "starter_queue_it_" + Long.toHexString(System.nanoTime());

    private final Set<String> ran = ConcurrentHashMap.newKeySet();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResiliencePoolAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    ResilienceQueueAutoConfiguration.class, ResilienceHealthAutoConfiguration.class,
                    EndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    HealthEndpointAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + URL, "spring.datasource.username=postgres",
                    "resilience.pool.maximum-pool-size=6", "resilience.pool.minimum-idle=1",
                    "resilience.queue.schema=" + SCHEMA,
                    "resilience.queue.workers=2", "resilience.queue.poll-interval=200ms",
                    "resilience.queue.types[order.refund].max-attempts=2",
                    "resilience.queue.types[order.refund].backoff-delay=10ms",
                    "resilience.queue.types[order.refund].backoff-max-delay=20ms",
                    "management.endpoint.health.show-details=always")
            .withBean("paid", QueueHandler.class, () -> QueueHandler.of("order.paid", task -> ran.add(task.payloadAsString())))
            .withBean("slow", QueueHandler.class, () -> QueueHandler.of("order.slow", task -> {
                slowStarted.countDown();
                if (!releaseSlow.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }))
            .withBean("refund", QueueHandler.class, () -> QueueHandler.of("order.refund", task -> {
                throw new IllegalStateException("refunds are down");
            }));

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = admin().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static DataSource admin() {
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(URL);
        admin.setUser("postgres");
        return admin;
    }

    private static long tasksLeft() throws Exception {
        try (Connection c = admin().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + SCHEMA + ".tasks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void closingTheContextLetsTheRunningTaskFinishAndRecordsItBeforeThePoolCloses() throws Exception {
        CountDownLatch closing = new CountDownLatch(1);
        runner.withBean("closing", ApplicationListener.class,
                        () -> (ApplicationListener<ContextClosedEvent>) event -> closing.countDown())
                .run(context -> {
                    context.getBean(TaskQueue.class).enqueue(Task.json("order.slow", "{\"order\":3}").build());
                    assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
                    assertThat(tasksLeft()).isEqualTo(1);
                    // released while the context closes (after the closed event, which comes before the lifecycles
                    // stop): the queue's close() waits for the running handler, whose success must still reach
                    // the database through the pool
                    Thread release = new Thread(() -> {
                        try {
                            if (closing.await(30, TimeUnit.SECONDS)) {
                                Thread.sleep(300);   // an IT: give close() time to begin waiting
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        releaseSlow.countDown();
                    });
                    release.start();
                });
        assertThat(closing.getCount()).isZero();
        assertThat(tasksLeft()).as("the success was recorded: the queue stopped while the pool was open").isZero();
    }

    @Test
    void handlerBeansRunTasksAFailingTypeIsDeadLetteredAndTheQueueStopsWithTheContext() {
        TaskQueue[] started = new TaskQueue[1];
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(DataSource.class)).isInstanceOf(ResilientDataSource.class);
            TaskQueue queue = context.getBean(TaskQueue.class);
            started[0] = queue;
            queue.enqueue(Task.json("order.paid", "{\"order\":1}").build());
            queue.enqueue(Task.json("order.refund", "{\"order\":2}").build());

            await().atMost(Duration.ofSeconds(30)).until(() -> ran.contains("{\"order\":1}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> !queue.deadLetters().list(DeadLetterFilter.ofType("order.refund"), 10).isEmpty());
            List<DeadTask> dead = queue.deadLetters().list(DeadLetterFilter.ofType("order.refund"), 10);
            assertThat(dead).singleElement().satisfies(task -> {
                assertThat(task.attempts()).isEqualTo(2);
                assertThat(task.lastFailure().message()).contains("refunds are down");
            });

            CompositeHealth resilience = (CompositeHealth) context.getBean(HealthEndpoint.class).healthForPath("resilience");
            assertThat(resilience.getComponents()).containsKey("taskQueueHealthCheck");
            assertThat(resilience.getComponents().get("taskQueueHealthCheck").getStatus()).isEqualTo(Status.UP);
        });
        // the context closed: the queue was closed by its lifecycle, before the pool (else this would not be 0
        // and a started queue could still be restarted)
        assertThat(started[0].inFlight()).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(started[0]::start)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
