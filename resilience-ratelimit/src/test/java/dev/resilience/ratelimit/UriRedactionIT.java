package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.resilience.testkit.CapturedLog;
import dev.resilience.testkit.TestServices;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No form of URI text lets a password reach a log line, an exception message or a health detail. */
class UriRedactionIT {

    private static final String SECRET = "S3cretPw";

    @Test
    void malformedUrisNeverShowTheirPassword() {
        List<String> malformed = List.of(":" + SECRET + "@localhost:6379", "user:" + SECRET + "@localhost:6379",
                "redis//:" + SECRET + "@localhost", "redis://:" + SECRET + "@", "redis://:" + SECRET + "@host:notaport",
                "http://user:" + SECRET + "@localhost:6379", "localhost:6379?password=" + SECRET,
                "redis://:pa/ss" + SECRET + "@localhost:6379:x");

        for (String uri : malformed) {
            String log = CapturedLog.during(() -> {
                Throwable thrown = catchThrowable(() -> RedisBackend.builder().uri(uri));
                assertThat(thrown).as(uri).isInstanceOf(IllegalArgumentException.class);
                assertThat(thrown.getMessage()).as(uri).doesNotContain(SECRET);
                Throwable viaLimiter = catchThrowable(() -> RedisRateLimiter.builder("l", RateLimitPolicy.of(
                        Limit.fixedWindow("m", 1, Duration.ofMinutes(1)))).redisUri(uri));
                assertThat(viaLimiter.getMessage()).as(uri).doesNotContain(SECRET);
            });
            assertThat(log).as(uri).doesNotContain(SECRET);
        }
    }

    @Test
    void validUrisWithCredentialsNeverShowThemWhenRedisCannotBeReached() {
        int port = TestServices.freeLoopbackPort();
        List<String> valid = List.of("redis://user:" + SECRET + "@127.0.0.1:" + port, "redis://:" + SECRET + "@127.0.0.1:" + port + "/0",
                "rediss://:" + SECRET + "@127.0.0.1:" + port, "redis://127.0.0.1:" + port + "?timeout=1s&password=" + SECRET);

        for (String uri : valid) {
            String log = CapturedLog.during(() -> {
                try (RedisBackend backend = RedisBackend.builder().uri(uri).connectTimeout(Duration.ofMillis(200))
                        .probeInterval(Duration.ofMillis(20)).build();
                     RedisRateLimiter limiter = RedisRateLimiter.builder("l", RateLimitPolicy.of(
                             Limit.fixedWindow("m", 1, Duration.ofMinutes(1)))).backend(backend).build()) {
                    limiter.tryAcquire("k");
                    Thread.sleep(100); // a few background probes and their (DEBUG) log lines
                    assertThat(backend.toString() + backend.description() + limiter + limiter.asHealthCheck().check())
                            .as(uri).doesNotContain(SECRET);
                }
            });
            assertThat(log).as(uri).contains("Cannot connect to Redis").doesNotContain(SECRET);
        }
    }
}
