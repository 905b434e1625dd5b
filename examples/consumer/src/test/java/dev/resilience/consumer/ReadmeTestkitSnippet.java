package dev.resilience.consumer;

import dev.resilience.core.Backoff;
import dev.resilience.core.Retry;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import dev.resilience.testkit.TcpProxy;
import java.time.Duration;

/** The root README's resilience-testkit sample, compiled with the test scope as a user's tests would. */
final class ReadmeTestkitSnippet {

    private ReadmeTestkitSnippet() {
    }

    static void testkit() throws Exception {
        ManualClock clock = new ManualClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        Retry retry = Retry.builder("test").maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .clock(clock).sleeper(scheduler).build();
        // ... scheduler.sleeps() == [PT1S, PT1S]

        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
            // point the client at proxy.port(), then proxy.cutConnections(), proxy.blackhole(), proxy.heal()
        }
    }
}
