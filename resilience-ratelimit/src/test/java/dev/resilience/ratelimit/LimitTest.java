package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitTest {

    @Test
    void rejectsZeroOrNegativePermitsNamingTheValue() {
        assertThatThrownBy(() -> Limit.fixedWindow("w", 0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits").hasMessageContaining("was 0");
        assertThatThrownBy(() -> Limit.slidingWindow("w", -5, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        assertThatThrownBy(() -> Limit.tokenBucket("w", 0, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void rejectsWindowsOutsideOneMillisecondToAYear() {
        assertThatThrownBy(() -> Limit.fixedWindow("w", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> Limit.fixedWindow("w", 1, Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }

    @Test
    void rejectsNamesThatCannotGoInAHeaderOrKey() {
        assertThatThrownBy(() -> Limit.fixedWindow("ip 15m", 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ip 15m");
        assertThatThrownBy(() -> Limit.fixedWindow("", 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }

    @Test
    void rejectsSlidingWindowsTooLargeForTheInMemoryState() {
        assertThatThrownBy(() -> Limit.slidingWindow("w", Limit.MAX_SLIDING_WINDOW_PERMITS + 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permits");
    }

    @Test
    void rejectsBucketsWhoseStateWouldLeaveTheExactRangeOfTheRedisScript() {
        // a bucket of 2^31 - 1 permits refilling one a day: its state would overflow (Java) or round (Lua)
        assertThatThrownBy(() -> Limit.tokenBucket("w", Integer.MAX_VALUE, 1, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity").hasMessageContaining("100 years");
    }

    @Test
    void policyRejectsDuplicateNamesAndNoLimits() {
        Limit a = Limit.fixedWindow("a", 1, Duration.ofMinutes(1));
        assertThatThrownBy(() -> RateLimitPolicy.of(a, a)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
        assertThatThrownBy(() -> RateLimitPolicy.of()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 and 8");
    }

    @Test
    void shareScalesEachQuotaDownToAtLeastOne() {
        RateLimitPolicy policy = RateLimitPolicy.of(
                Limit.slidingWindow("big", 100, Duration.ofMinutes(15)),
                Limit.fixedWindow("small", 2, Duration.ofMinutes(1)));

        RateLimitPolicy share = policy.withShare(1.0 / 3);

        assertThat(share.limits().get(0).permits()).isEqualTo(33);
        assertThat(share.limits().get(1).permits()).isEqualTo(1);
        assertThatThrownBy(() -> policy.withShare(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share");
    }
}
