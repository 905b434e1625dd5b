package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Builder validation; nothing here connects. */
class TaskQueueBuilderTest {

    private final TaskQueue.Builder builder = TaskQueue.builder(new PGSimpleDataSource());

    @Test
    void schemaMustBeAPlainLowerCaseIdentifier() {
        assertThatThrownBy(() -> builder.schema("Queue; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema must be a lower-case SQL identifier").hasMessageContaining("Queue; DROP TABLE x");
        assertThat(builder.schema("order").handler("t", task -> { }).build().schema()).isEqualTo("order");
    }

    @Test
    void defaultSchemaIsResilienceQueue() {
        assertThat(builder.handler("t", task -> { }).build().schema()).isEqualTo("resilience_queue");
    }

    @Test
    void heartbeatMustComeBeforeTheLeaseExpires() {
        builder.leaseDuration(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofSeconds(2));
        assertThatThrownBy(builder::build).hasMessage("heartbeatInterval (PT2S) must be below leaseDuration (PT2S)");
    }

    @Test
    void builderNamesTheBadValue() {
        assertThatThrownBy(() -> builder.workers(0)).hasMessage("workers must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> builder.batchSize(0)).hasMessage("batchSize must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> builder.leaseDuration(Duration.ofMillis(500))).hasMessage("leaseDuration must be at least 1 s, was PT0.5S");
        assertThatThrownBy(() -> builder.pollInterval(Duration.ZERO)).hasMessage("pollInterval must be positive, was PT0S");
        assertThatThrownBy(() -> builder.shutdownTimeout(Duration.ofSeconds(-1))).hasMessage("shutdownTimeout must not be negative, was PT-1S");
        assertThatThrownBy(() -> builder.deadLetterRetention(Duration.ZERO, DeadLetterRetention.ARCHIVE))
                .hasMessage("retention must be positive, was PT0S");
        assertThatThrownBy(() -> builder.deadLetterRetention(Duration.ofDays(1), null)).hasMessage("action");
        assertThatThrownBy(() -> TaskQueue.builder(null)).hasMessage("dataSource");
    }

    @Test
    void aTypeHasOneHandler() {
        builder.handler("mail", task -> { });
        assertThatThrownBy(() -> builder.handler("mail", task -> { })).hasMessage("type 'mail' already has a handler");
    }

    @Test
    void startingWithoutHandlersSaysWhatToDo() {
        TaskQueue queue = builder.build();
        assertThatThrownBy(queue::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("Builder.handler(type, handler)");
    }
}
