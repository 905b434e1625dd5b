package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskPolicyTest {

    private final TaskPolicy policy = TaskPolicy.builder().maxAttempts(4)
            .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(3)))
            .retryOn(error -> error instanceof IOException).build();

    @Test
    void failedAttemptsWaitTheExponentialBackoffOfTheirNumber() {
        assertThat(policy.retryDelay(1, new IOException())).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.retryDelay(2, new IOException())).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.retryDelay(3, new IOException())).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void lastAttemptsFailureDeadLetters() {
        assertThat(policy.retryDelay(4, new IOException())).isNull();
    }

    @Test
    void failureThePredicateRejectsDeadLettersAtOnce() {
        assertThat(policy.retryDelay(1, new IllegalArgumentException())).isNull();
    }

    @Test
    void retryAfterReplacesTheBackoffEvenForFailuresThePredicateRejects() {
        assertThat(policy.retryDelay(1, new RetryAfterException(Duration.ofSeconds(42), "429"))).isEqualTo(Duration.ofSeconds(42));
        assertThat(policy.retryDelay(4, new RetryAfterException(Duration.ofSeconds(42), "429"))).isNull();
    }

    @Test
    void jitteredBackoffStaysWithinItsBounds() {
        TaskPolicy jittered = TaskPolicy.builder()
                .backoff(Backoff.exponential(Duration.ofSeconds(2), Duration.ofMinutes(1)).withJitter(Jitter.EQUAL, new Random(7)))
                .build();
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.retryDelay(2, new IOException())).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
        }
    }

    @Test
    void defaultsAreFiveAttemptsAndFiveMinutesPerAttempt() {
        assertThat(TaskPolicy.ofDefaults().maxAttempts()).isEqualTo(5);
        assertThat(TaskPolicy.ofDefaults().timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(TaskPolicy.ofDefaults().backoff().jitter()).isEqualTo(Jitter.EQUAL);
    }

    @Test
    void builderNamesTheBadValue() {
        assertThatThrownBy(() -> TaskPolicy.builder().maxAttempts(0)).hasMessage("maxAttempts must be between 1 and 1000, was 0");
        assertThatThrownBy(() -> TaskPolicy.builder().timeout(Duration.ZERO)).hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> TaskPolicy.builder().backoff(null)).hasMessage("backoff");
        assertThatThrownBy(() -> new RetryAfterException(Duration.ofSeconds(-1), "x"))
                .hasMessage("retryAfter must not be negative, was PT-1S");
    }
}
