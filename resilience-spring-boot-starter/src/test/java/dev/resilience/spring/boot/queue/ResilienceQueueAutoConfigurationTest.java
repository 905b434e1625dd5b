package dev.resilience.spring.boot.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheck;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The queue auto-configuration's beans, without a database: auto-start is off here, so nothing connects
 * (ResilienceQueueSpringBootIT runs the queue against the real PostgreSQL).
 */
class ResilienceQueueAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceQueueAutoConfiguration.class))
            .withBean(DataSource.class, ResilienceQueueAutoConfigurationTest::unreachable)
            .withPropertyValues("resilience.queue.auto-start=false");

    private static DataSource unreachable() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://127.0.0.1:1/none");
        return dataSource;
    }

    @Test
    void buildsTheQueueFromThePropertiesWithAHandlerPerHandlerBean() {
        runner.withPropertyValues("resilience.queue.schema=orders_queue", "resilience.queue.workers=2")
                .withBean("paid", QueueHandler.class, () -> QueueHandler.of("order.paid", task -> { }))
                .withBean("shipped", QueueHandler.class, () -> QueueHandler.of("order.shipped", task -> { }))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    TaskQueue queue = context.getBean(TaskQueue.class);
                    assertThat(queue.schema()).isEqualTo("orders_queue");
                    assertThat(queue.types()).containsExactlyInAnyOrder("order.paid", "order.shipped");
                    assertThat(context).hasBean("taskQueueHealthCheck").getBean("taskQueueHealthCheck")
                            .isInstanceOf(HealthCheck.class);
                    assertThat(context).doesNotHaveBean(TaskQueueLifecycle.class);
                });
    }

    @Test
    void theLifecycleIsThereUnlessAutoStartIsOff() {
        runner.withPropertyValues("resilience.queue.auto-start=true")
                // a queue without handlers is only migrated at start: refused here, as the database is unreachable
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("cannot migrate queue schema resilience_queue"));
    }

    @Test
    void aConfiguredTypeWithoutAHandlerFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("resilience.queue.types[order.paid].max-attempts=3")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.queue.types.order.paid names a task type without a handler"));
    }

    @Test
    void aTypeNameWithDotsOutsideBracketsOrAMisspelledKeyFailsStartUpNamingIt() {
        runner.withBean("paid", QueueHandler.class, () -> QueueHandler.of("order.paid", task -> { }))
                .withPropertyValues("resilience.queue.types.order.paid.max-attempts=3")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.queue.types.order.paid.max-attempts"));
        runner.withPropertyValues("resilience.queue.workrs=3")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("resilience.queue.workrs"));
    }

    @Test
    void aTypesPolicyComesFromItsProperties() {
        QueueProperties properties = new QueueProperties();
        QueueProperties.TypePolicy settings = new QueueProperties.TypePolicy();
        settings.setMaxAttempts(2);
        settings.setTimeout(Duration.ofSeconds(7));
        properties.getTypes().put("order.paid", settings);

        TaskPolicy policy = ResilienceQueueAutoConfiguration.policy(properties, "order.paid");
        assertThat(policy.maxAttempts()).isEqualTo(2);
        assertThat(policy.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(ResilienceQueueAutoConfiguration.policy(properties, "other").maxAttempts())
                .isEqualTo(TaskPolicy.ofDefaults().maxAttempts());
    }

    @Test
    void customizersRunAfterTheHandlerBeans() {
        runner.withBean(TaskQueueCustomizer.class, () -> builder -> builder.handler("from.code", task -> { }))
                .withPropertyValues("resilience.queue.types[from.code].max-attempts=3")
                .run(context -> assertThat(context.getBean(TaskQueue.class).types()).containsExactly("from.code"));
    }

    @Test
    void offWithTheProperty() {
        runner.withPropertyValues("resilience.queue.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TaskQueue.class).doesNotHaveBean("taskQueueHealthCheck"));
    }

    @Test
    void noDataSourceNoQueue() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceQueueAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(TaskQueue.class));
    }

    @Test
    void theApplicationsOwnQueueWins() {
        TaskQueue own = TaskQueue.builder(unreachable()).schema("own_queue").build();
        runner.withBean(TaskQueue.class, () -> own)
                .run(context -> assertThat(context.getBean(TaskQueue.class)).isSameAs(own));
    }
}
