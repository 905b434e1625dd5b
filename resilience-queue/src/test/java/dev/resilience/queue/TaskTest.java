package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TaskTest {

    @Test
    void jsonPayloadIsStoredAsUtf8() {
        Task task = Task.json("mail", "{\"to\":\"zoë\"}").build();
        assertThat(task.payload()).isEqualTo("{\"to\":\"zoë\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void payloadIsCopiedInAndOut() {
        byte[] bytes = {1, 2};
        Task task = Task.of("t", bytes).build();
        bytes[0] = 9;
        task.payload()[1] = 9;
        assertThat(task.payload()).containsExactly(1, 2);
    }

    @Test
    void optionalPartsDefaultToNowPriorityZeroAndNoKey() {
        Task task = Task.of("t", new byte[0]).build();
        assertThat(task.runAt()).isNull();
        assertThat(task.priority()).isZero();
        assertThat(task.idempotencyKey()).isNull();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(Task.of("t", new byte[0]).runAt(at).priority(3).idempotencyKey("k").build())
                .extracting(Task::runAt, Task::priority, Task::idempotencyKey).containsExactly(at, 3, "k");
    }

    @Test
    void builderNamesTheBadValue() {
        assertThatThrownBy(() -> Task.json(" ", "{}")).hasMessage("type must be 1 to 200 characters and not blank, was ' '");
        assertThatThrownBy(() -> Task.json("t", "{}").idempotencyKey("")).hasMessageStartingWith("idempotencyKey must be");
        assertThatThrownBy(() -> Task.json("t", "{}").priority(5000)).hasMessage("priority must be between -1000 and 1000, was 5000");
        assertThatThrownBy(() -> Task.of("t", null)).hasMessage("payload");
    }
}
