package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Backoff;
import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Retry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The samples of resilience-testkit/README.md, kept compiling and passing. */
class ReadmeExampleTest {

    // --- README sample start
    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    @Test
    void backsOffExponentially() {
        Retry retry = Retry.builder("payments")
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)))
                .clock(clock).sleeper(scheduler).scheduler(scheduler)   // no real waiting
                .build();

        assertThatThrownBy(() -> retry.call(() -> {
            throw new IOException("payments down");
        })).isInstanceOf(IOException.class);

        assertThat(scheduler.sleeps())
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void breakerProbesAgainAfterTheOpenDuration() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("payments")
                .openDuration(Duration.ofSeconds(30)).clock(clock).build();
        breaker.transitionTo(CircuitBreaker.State.OPEN);

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> breaker.call(() -> "charged")).isInstanceOf(CallNotPermittedException.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.call(() -> "charged")).isEqualTo("charged");
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }
    // --- README sample end
}
