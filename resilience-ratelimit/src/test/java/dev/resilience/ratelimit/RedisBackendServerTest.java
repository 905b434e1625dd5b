package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RedisBackend.Builder#server} checks its parts before anything connects; {@link RateLimitedException} stays cheap. */
class RedisBackendServerTest {

    @Test
    void aBlankHostIsRefusedNamingIt() {
        assertThatThrownBy(() -> RedisBackend.builder().server(" ", 6379, "", new char[0], false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host must not be blank");
    }

    @Test
    void aPortOutOfRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> RedisBackend.builder().server("localhost", 0, "", new char[0], false, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be between 1 and 65535, was 0");
    }

    @Test
    void aNegativeDatabaseIsRefusedNamingIt() {
        assertThatThrownBy(() -> RedisBackend.builder().server("localhost", 6379, "", new char[0], false, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("database must not be negative, was -1");
    }

    @Test
    void aRateLimitedExceptionNamesTheLimiterAndLimitWithoutAStackTrace() {
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("perMinute", 3, Duration.ofMinutes(1)));
        Decision rejected = Decision.rejected(policy, "perMinute", 3, Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(12).toNanos());

        RateLimitedException e = new RateLimitedException("partner", rejected);

        assertThat(e.getMessage()).isEqualTo("Rate limiter 'partner' rejected the call (limit perMinute): retry after 12000 ms");
        assertThat(e.isRejection()).isTrue();
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(e.limiterName()).isEqualTo("partner");
    }
}
