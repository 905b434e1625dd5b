package dev.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RedisOutageLogTest {

    @Test
    void logsOneLinePerOutageTransitionNotPerProbingCycle() {
        ManualClock clock = new ManualClock();
        CircuitBreaker breaker = CircuitBreaker.builder("redis").countBasedWindow(2).minimumNumberOfCalls(2)
                .openDuration(Duration.ofSeconds(1)).permittedCallsInHalfOpen(1).clock(clock).build();
        RedisOutageLog outageLog = new RedisOutageLog(LoggerFactory.getLogger("test"), "Cache orders", "127.0.0.1:6379",
                "serving from the local tier", clock);
        List<RedisOutageLog.Transition> transitions = new ArrayList<>();
        breaker.addListener(event -> transitions.add(outageLog.onEvent(event)));

        String log = CapturedLog.during(() -> {
            breaker.onError(1, new RuntimeException("down"));
            breaker.onError(1, new RuntimeException("down"));      // opens
            for (int cycle = 0; cycle < 3; cycle++) {               // half-open probes that fail again
                clock.advance(Duration.ofSeconds(2));
                breaker.acquirePermission();
                breaker.onError(1, new RuntimeException("down"));
            }
            clock.advance(Duration.ofSeconds(2));
            breaker.acquirePermission();
            breaker.onSuccess(1);                                    // closes
        });

        assertThat(transitions).filteredOn(t -> t != RedisOutageLog.Transition.NONE)
                .containsExactly(RedisOutageLog.Transition.OUTAGE_STARTED, RedisOutageLog.Transition.OUTAGE_ENDED);
        assertThat(log.lines().filter(line -> line.contains("Cache orders"))).hasSize(2);
        assertThat(log).contains("Cache orders cannot use Redis at 127.0.0.1:6379: serving from the local tier until it answers again")
                .contains("Cache orders is back on Redis at 127.0.0.1:6379 after 8000 ms");
    }
}
