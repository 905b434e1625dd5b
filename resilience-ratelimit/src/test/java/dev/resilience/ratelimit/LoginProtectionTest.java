package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginProtectionTest {

    private final ManualClock clock = new ManualClock();

    private LoginProtection.Builder builder() {
        return LoginProtection.builder().limiters((name, policy) -> InMemoryRateLimiter.builder(name, policy).clock(clock).build());
    }

    @Test
    void blocksAUsernameAndAddressAfterTheMaximumFailures() {
        LoginProtection protection = builder().maxFailures(3).blockDuration(Duration.ofMinutes(10)).build();
        protection.onFailure("alice", "198.51.100.1");
        protection.onFailure("alice", "198.51.100.1");

        LoginAttempt third = protection.onFailure("alice", "198.51.100.1");

        assertThat(third.blocked()).isTrue();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(protection.check("alice", "198.51.100.1").blocked()).isTrue();
        assertThat(protection.check("alice", "198.51.100.2").blocked()).isFalse();
        assertThat(protection.check("bob", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void answersTheTimeLeftAndLiftsTheBlockWhenItEnds() {
        LoginProtection protection = builder().maxFailures(1).blockDuration(Duration.ofMinutes(10)).build();
        protection.onFailure("alice", "198.51.100.1");
        clock.advance(Duration.ofMinutes(4));

        LoginAttempt during = protection.check("alice", "198.51.100.1");
        clock.advance(Duration.ofMinutes(6));

        assertThat(during.retryAfter()).isEqualTo(Duration.ofMinutes(6));
        assertThat(protection.check("alice", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void repeatOffendersAreBlockedTwiceAsLongEachTimeUpToTheMaximum() {
        LoginProtection protection = builder().maxFailures(2).blockDuration(Duration.ofMinutes(10))
                .growingBlocks(Duration.ofMinutes(40)).build();

        List<Duration> blocks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LoginAttempt blocked = failUntilBlocked(protection);
            blocks.add(blocked.retryAfter());
            clock.advance(blocked.retryAfter());
        }

        assertThat(blocks).containsExactly(Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(40), Duration.ofMinutes(40));
    }

    private static LoginAttempt failUntilBlocked(LoginProtection protection) {
        for (int i = 0; i < 10; i++) {
            LoginAttempt attempt = protection.onFailure("alice", "198.51.100.1");
            if (attempt.blocked()) {
                return attempt;
            }
        }
        throw new AssertionError("not blocked after 10 failures");
    }

    @Test
    void aFailureDuringABlockDoesNotExtendIt() {
        LoginProtection protection = builder().maxFailures(1).blockDuration(Duration.ofMinutes(10))
                .growingBlocks(Duration.ofHours(1)).build();
        protection.onFailure("alice", "198.51.100.1");
        clock.advance(Duration.ofMinutes(3));

        LoginAttempt again = protection.onFailure("alice", "198.51.100.1");

        assertThat(again.retryAfter()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void successResetsTheUsernameAndAddressCount() {
        LoginProtection protection = builder().maxFailures(3).build();
        protection.onFailure("alice", "198.51.100.1");
        protection.onFailure("alice", "198.51.100.1");

        protection.onSuccess("alice", "198.51.100.1");

        assertThat(protection.check("alice", "198.51.100.1").remainingAttempts()).isEqualTo(3);
        assertThat(protection.onFailure("alice", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void blocksAnAddressTryingManyUsernames() {
        LoginProtection protection = builder().maxFailures(5).maxFailuresPerAddress(10).build();
        for (int i = 0; i < 10; i++) {
            protection.onFailure("user" + i, "203.0.113.5");
        }

        assertThat(protection.check("someone-new", "203.0.113.5").blocked()).isTrue();
        assertThat(protection.check("someone-new", "203.0.113.6").blocked()).isFalse();
    }

    @Test
    void optionallyBlocksAUsernameAttackedFromManyAddresses() {
        LoginProtection protection = builder().maxFailures(5).maxFailuresPerUsername(4).build();
        for (int i = 0; i < 4; i++) {
            protection.onFailure("alice", "203.0.113." + i);
        }

        assertThat(protection.check("alice", "198.51.100.99").blocked()).isTrue();
    }

    @Test
    void unknownAndKnownUsernamesGetTheSameAnswers() {
        LoginProtection protection = builder().maxFailures(2).build();

        LoginAttempt existing = protection.onFailure("alice", "198.51.100.1");
        LoginAttempt missing = protection.onFailure("no-such-user", "198.51.100.2");

        assertThat(existing.toString()).isEqualTo(missing.toString());
    }

    @Test
    void usernamesAreCaseInsensitive() {
        LoginProtection protection = builder().maxFailures(2).build();
        protection.onFailure("Alice", "198.51.100.1");
        protection.onFailure("alice ", "198.51.100.1");

        assertThat(protection.check("ALICE", "198.51.100.1").blocked()).isTrue();
    }

    @Test
    void rejectsNonPositiveMaximums() {
        assertThatThrownBy(() -> LoginProtection.builder().maxFailures(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFailures").hasMessageContaining("0");
        assertThatThrownBy(() -> LoginProtection.builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> LoginProtection.builder().blockDuration(Duration.ofMinutes(10)).growingBlocks(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlockDuration").hasMessageContaining("PT5M");
    }
}
