package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.TestServices;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The backend against a port where no Redis listens. */
class RedisBackendIT {

    @Test
    void failingToMakeTheFirstConnectionIsWarnedOnceNotAtEveryRetry() {
        int port = TestServices.freeLoopbackPort();
        String log = CapturedLog.during(() -> {
            try (RedisBackend backend = RedisBackend.builder().uri("redis://127.0.0.1:" + port)
                    .connectTimeout(Duration.ofMillis(200)).build()) {
                for (int attempt = 0; attempt < 5; attempt++) {
                    Thread.sleep(50); // a refused connection fails within milliseconds: each call starts a new attempt
                    assertThat(backend.isConnected()).isFalse();
                }
            }
        });

        assertThat(log.lines().filter(line -> line.contains("Cannot connect to Redis at 127.0.0.1:" + port)))
                .hasSize(1);
    }
}
