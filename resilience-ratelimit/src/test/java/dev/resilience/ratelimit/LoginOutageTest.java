package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Login protection while its Redis store fails: a store standing for Redis that can be switched off. */
class LoginOutageTest {

    private final ManualClock clock = new ManualClock();
    private final SwitchableStore redis = new SwitchableStore(clock);

    private LoginProtection.Builder builder() {
        return LoginProtection.builder().clock(clock).store(redis).maxFailures(5).maxFailuresPerAddress(50);
    }

    private static void failUntilBlocked(LoginProtection protection, String user, String address) {
        for (int i = 0; i < 10; i++) {
            LoginAttempt attempt = protection.attempt(user, address);
            if (attempt.blocked() || attempt.failed().blocked()) {
                return;
            }
        }
        throw new AssertionError("not blocked after 10 failures");
    }

    @Test
    void aBlockSeenBeforeTheOutageHoldsThroughIt() {
        LoginProtection protection = builder().build();
        failUntilBlocked(protection, "alice", "198.51.100.1");

        redis.down = true;
        LoginAttempt during = protection.attempt("alice", "198.51.100.1");

        assertThat(during.blocked()).isTrue();
        assertThat(during.retryAfter()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aBlockImposedByAnotherInstanceHoldsOnceThisOneHasSeenIt() {
        LoginProtection other = builder().build();
        LoginProtection protection = builder().build();
        failUntilBlocked(other, "alice", "198.51.100.1");
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();

        redis.down = true;

        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();
    }

    @Test
    void localShareAllowsEachInstanceItsShareOfTheMaximumDuringAnOutage() {
        LoginProtection protection = builder().instances(3).maxFailures(6).build();
        redis.down = true;

        int checked = 0;
        for (int i = 0; i < 20; i++) {
            LoginAttempt attempt = protection.attempt("bob", "198.51.100.2");
            if (!attempt.blocked()) {
                checked++;
                attempt.failed();
            }
        }

        assertThat(checked).isEqualTo(2);
    }

    @Test
    void aBlockImposedDuringTheOutageOutlastsIt() {
        LoginProtection protection = builder().build();
        redis.down = true;
        failUntilBlocked(protection, "bob", "198.51.100.2");

        redis.down = false;
        clock.advance(Duration.ofSeconds(30)); // the breaker lets calls through again

        assertThat(protection.attempt("bob", "198.51.100.2").blocked()).isTrue();
    }

    @Test
    void failClosedRefusesEveryAttemptDuringAnOutageAndRecoversAfter() {
        LoginProtection protection = builder().outagePolicy(LoginOutagePolicy.FAIL_CLOSED).build();
        redis.down = true;

        LoginAttempt during = protection.attempt("carol", "198.51.100.3");
        redis.down = false;
        clock.advance(Duration.ofSeconds(30));

        assertThat(during.blocked()).isTrue();
        assertThat(during.retryAfter()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(protection.attempt("carol", "198.51.100.3").blocked()).isFalse();
    }

    @Test
    void aFailureWhoseOutcomeMeetsTheOutageIsCountedLocally() {
        LoginProtection protection = builder().maxFailures(2).build();
        LoginAttempt first = protection.attempt("dave", "198.51.100.4");
        LoginAttempt second = protection.attempt("dave", "198.51.100.4");

        redis.down = true;
        first.failed();

        assertThat(second.failed().blocked()).isTrue();
    }

    /** An in-memory store that throws while {@code down}, as the Redis store does when Redis fails. */
    private static final class SwitchableStore implements LoginStore {
        private final LoginStore delegate;
        volatile boolean down;

        SwitchableStore(ManualClock clock) {
            this.delegate = new InMemoryLoginStore(new LoginRules(new int[] {5, 50}, Duration.ofMinutes(15).toNanos(),
                    Duration.ofMinutes(15).toNanos(), 1), 1000, clock);
        }

        private void check() {
            if (down) {
                throw new IllegalStateException("Redis is down");
            }
        }

        @Override
        public LoginState reserve(String[] keys, String token) {
            check();
            return delegate.reserve(keys, token);
        }

        @Override
        public LoginState fail(String[] keys, String token) {
            check();
            return delegate.fail(keys, token);
        }

        @Override
        public void succeed(String[] keys, String token) {
            check();
            delegate.succeed(keys, token);
        }
    }
}
