package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad Redis configuration fails at build time with a clear message, before any connection is tried. */
class RedisConfigurationTest {

    private final RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("w", 1, Duration.ofMinutes(1)));

    @Test
    void rejectsAUriThatIsNotRedisWithoutShowingItsPassword() {
        assertThatThrownBy(() -> RedisBackend.builder().uri("http://user:s3cret@cache:6379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://").hasMessageContaining("cache:6379").hasMessageNotContaining("s3cret");
    }

    @Test
    void rejectsAMalformedRedisUriWithoutShowingItsPassword() {
        assertThatThrownBy(() -> RedisBackend.builder().uri("redis://:s3cret@cache:notaport"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisBackend.builder().uri("redis://:s3cret@cache:99999"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisBackend.builder().uri(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }

    @Test
    void rejectsAClusterWithoutSeeds() {
        assertThatThrownBy(() -> RedisBackend.builder().clusterUris())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed");
    }

    @Test
    void rejectsTimeoutsOutsideTheirRange() {
        assertThatThrownBy(() -> RedisBackend.builder().commandTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commandTimeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> RedisBackend.builder().connectTimeout(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> RedisBackend.builder().topologyRefreshPeriod(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topologyRefreshPeriod");
        assertThatThrownBy(() -> RedisBackend.builder().topologyRefreshPeriod(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("topologyRefreshPeriod");
    }

    @Test
    void rejectsALimiterWithoutRedisOrWithBadSettings() {
        assertThatThrownBy(() -> RedisRateLimiter.builder("api", policy).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("redisUri");
        assertThatThrownBy(() -> RedisRateLimiter.builder(" ", policy))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> RedisRateLimiter.builder("api", policy).fallbackShare(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallbackShare").hasMessageContaining("1.5");
        assertThatThrownBy(() -> RedisRateLimiter.builder("api", policy).instances(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances");
        assertThatThrownBy(() -> RedisRateLimiter.builder("api", policy).keyPrefix("a{b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> RedisRateLimiter.builder("api", policy).redisUri("localhost:6379"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localhost:6379");
    }
}
