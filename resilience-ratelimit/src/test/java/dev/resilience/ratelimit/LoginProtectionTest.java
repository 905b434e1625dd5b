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
        return LoginProtection.builder().clock(clock);
    }

    /** A wrong password: reserve, then fail. */
    private static LoginAttempt wrongPassword(LoginProtection protection, String user, String address) {
        LoginAttempt attempt = protection.attempt(user, address);
        return attempt.blocked() ? attempt : attempt.failed();
    }

    @Test
    void blocksAUsernameAndAddressAfterTheMaximumFailures() {
        LoginProtection protection = builder().maxFailures(3).blockDuration(Duration.ofMinutes(10)).build();
        wrongPassword(protection, "alice", "198.51.100.1");
        wrongPassword(protection, "alice", "198.51.100.1");

        LoginAttempt third = wrongPassword(protection, "alice", "198.51.100.1");

        assertThat(third.blocked()).isTrue();
        assertThat(third.retryAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();
        assertThat(protection.attempt("alice", "198.51.100.2").blocked()).isFalse();
        assertThat(protection.attempt("bob", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void concurrentGuessesBeyondTheMaximumNeverReachThePasswordCheck() throws Exception {
        LoginProtection protection = builder().maxFailures(5).build();

        int checked = Concurrently.passwordChecks(List.of(protection), "alice", "198.51.100.1", 40);

        assertThat(checked).isEqualTo(5);
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();
    }

    @Test
    void aReservationInFlightTakesAnAttemptUntilItsOutcome() {
        LoginProtection protection = builder().maxFailures(2).build();
        LoginAttempt first = protection.attempt("alice", "198.51.100.1");
        LoginAttempt second = protection.attempt("alice", "198.51.100.1");

        LoginAttempt third = protection.attempt("alice", "198.51.100.1");
        first.succeeded();

        assertThat(first.blocked()).isFalse();
        assertThat(second.blocked()).isFalse();
        assertThat(second.remainingAttempts()).isZero();
        assertThat(third.blocked()).isTrue();
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void anAttemptWithoutOutcomeStaysCountedAsAFailure() {
        LoginProtection protection = builder().maxFailures(2).build();
        protection.attempt("alice", "198.51.100.1"); // the handler crashed before the outcome
        protection.attempt("alice", "198.51.100.1");

        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();
        clock.advance(Duration.ofMinutes(15));
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void anOutcomeIsRecordedOnceAndABlockedAttemptHasNone() {
        LoginProtection protection = builder().maxFailures(1).build();
        LoginAttempt attempt = protection.attempt("alice", "198.51.100.1");
        LoginAttempt after = attempt.failed();

        assertThatThrownBy(attempt::failed).isInstanceOf(IllegalStateException.class).hasMessageContaining("already recorded");
        assertThatThrownBy(after::succeeded).isInstanceOf(IllegalStateException.class).hasMessageContaining("blocked");
        assertThatThrownBy(protection.attempt("alice", "198.51.100.1")::failed).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without checking the password");
    }

    @Test
    void answersTheTimeLeftAndLiftsTheBlockWhenItEnds() {
        LoginProtection protection = builder().maxFailures(1).blockDuration(Duration.ofMinutes(10)).build();
        wrongPassword(protection, "alice", "198.51.100.1");
        clock.advance(Duration.ofMinutes(4));

        LoginAttempt during = protection.attempt("alice", "198.51.100.1");
        clock.advance(Duration.ofMinutes(6));

        assertThat(during.retryAfter()).isEqualTo(Duration.ofMinutes(6));
        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isFalse();
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

    @Test
    void blocksStopGrowingADayAfterTheLast() {
        LoginProtection protection = builder().maxFailures(1).blockDuration(Duration.ofMinutes(10))
                .growingBlocks(Duration.ofHours(1)).build();
        failUntilBlocked(protection);
        clock.advance(Duration.ofMinutes(10));
        failUntilBlocked(protection);
        clock.advance(Duration.ofDays(1));

        assertThat(failUntilBlocked(protection).retryAfter()).isEqualTo(Duration.ofMinutes(10));
    }

    private static LoginAttempt failUntilBlocked(LoginProtection protection) {
        for (int i = 0; i < 10; i++) {
            LoginAttempt attempt = wrongPassword(protection, "alice", "198.51.100.1");
            if (attempt.blocked()) {
                return attempt;
            }
        }
        throw new AssertionError("not blocked after 10 failures");
    }

    @Test
    void aFailureOfAnAttemptReservedBeforeTheBlockDoesNotExtendIt() {
        LoginProtection protection = builder().maxFailures(2).blockDuration(Duration.ofMinutes(10))
                .growingBlocks(Duration.ofHours(1)).build();
        LoginAttempt first = protection.attempt("alice", "198.51.100.1");
        LoginAttempt second = protection.attempt("alice", "198.51.100.1");
        first.failed();
        clock.advance(Duration.ofMinutes(3));

        LoginAttempt again = second.failed();

        assertThat(again.retryAfter()).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void successGivesTheAttemptBackAndResetsTheUsernameAndAddressCount() {
        LoginProtection protection = builder().maxFailures(3).maxFailuresPerAddress(10).build();
        wrongPassword(protection, "alice", "198.51.100.1");
        wrongPassword(protection, "alice", "198.51.100.1");

        protection.attempt("alice", "198.51.100.1").succeeded();

        LoginAttempt next = protection.attempt("alice", "198.51.100.1");
        assertThat(next.remainingAttempts()).isEqualTo(2);
        assertThat(next.failed().blocked()).isFalse();
        // the address-wide count kept the two failures and the new one, not the success
        assertThat(protection.attempt("bob", "198.51.100.1").remainingAttempts()).isEqualTo(2);
    }

    @Test
    void blocksAnAddressTryingManyUsernames() {
        LoginProtection protection = builder().maxFailures(5).maxFailuresPerAddress(10).build();
        for (int i = 0; i < 10; i++) {
            wrongPassword(protection, "user" + i, "203.0.113.5");
        }

        assertThat(protection.attempt("someone-new", "203.0.113.5").blocked()).isTrue();
        assertThat(protection.attempt("someone-new", "203.0.113.6").blocked()).isFalse();
    }

    @Test
    void optionallyBlocksAUsernameAttackedFromManyAddresses() {
        LoginProtection protection = builder().maxFailures(5).maxFailuresPerUsername(4).build();
        for (int i = 0; i < 4; i++) {
            wrongPassword(protection, "alice", "203.0.113." + i);
        }

        assertThat(protection.attempt("alice", "198.51.100.99").blocked()).isTrue();
    }

    @Test
    void unknownAndKnownUsernamesGetTheSameAnswers() {
        LoginProtection protection = builder().maxFailures(2).build();

        LoginAttempt existing = wrongPassword(protection, "alice", "198.51.100.1");
        LoginAttempt missing = wrongPassword(protection, "no-such-user", "198.51.100.2");

        assertThat(existing.toString()).isEqualTo(missing.toString());
    }

    @Test
    void usernamesAreCaseInsensitive() {
        LoginProtection protection = builder().maxFailures(2).build();
        wrongPassword(protection, "Alice", "198.51.100.1");
        wrongPassword(protection, "alice ", "198.51.100.1");

        assertThat(protection.attempt("ALICE", "198.51.100.1").blocked()).isTrue();
    }

    @Test
    void anIpv6AttackerRotatingAddressesWithinItsSlash64IsOneAddress() {
        // one subscriber holds a whole /64 (as ClientIpResolver assumes): a fresh address per guess must not mean fresh guesses
        LoginProtection protection = builder().maxFailures(3).maxFailuresPerAddress(10).build();
        for (int i = 1; i <= 3; i++) {
            wrongPassword(protection, "alice", "2001:db8:0:1::" + Integer.toHexString(i));
        }

        assertThat(protection.attempt("alice", "2001:db8:0:1:ffff:ffff:ffff:ffff").blocked()).isTrue();
        assertThat(protection.attempt("alice", "2001:db8:0:2::1").blocked()).isFalse();
    }

    @Test
    void spellingsOfOneAddressAreOneSubject() {
        LoginProtection protection = builder().maxFailures(3).build();
        wrongPassword(protection, "alice", "198.51.100.7");
        wrongPassword(protection, "alice", "::ffff:198.51.100.7");
        wrongPassword(protection, "alice", " 198.51.100.7 ");

        assertThat(protection.attempt("alice", "198.51.100.7").blocked()).isTrue();
        assertThat(protection.attempt("alice", "[::ffff:c633:6407]:443").blocked()).isTrue();
        // not an address (a unix socket, a key of the caller's own): taken as it is
        assertThat(protection.attempt("alice", "unix:/run/app.sock").blocked()).isFalse();
    }

    @Test
    void spellingsOfOneUsernameADatabaseMayTreatAsEqualAreOneSubject() {
        // case-insensitive collations (MySQL's utf8mb4 ones, for example) also equate compatibility forms and ignore
        // format characters: ALICE in full width, a zero-width space, a no-break space must not be fresh usernames
        LoginProtection protection = builder().maxFailures(3).maxFailuresPerAddress(10).build();
        wrongPassword(protection, "\uFF21\uFF2C\uFF29\uFF23\uFF25", "198.51.100.1");
        wrongPassword(protection, "ali\u200Bce", "198.51.100.1");
        wrongPassword(protection, "\u00A0alice\u3000", "198.51.100.1");

        assertThat(protection.attempt("alice", "198.51.100.1").blocked()).isTrue();
        assertThat(protection.attempt("alicf", "198.51.100.1").blocked()).isFalse();
    }

    @Test
    void concurrentGuessesInManySpellingsFromOneSubnetNeverExceedTheMaximum() throws Exception {
        LoginProtection protection = builder().maxFailures(5).maxFailuresPerAddress(50).build();
        List<String> users = List.of("alice", "ALICE", "\uFF41\uFF4C\uFF49\uFF43\uFF45", "ali\u200Bce", " Alice");
        List<String> addresses = List.of("2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:1:a:b:c:d", "[2001:db8:0:1::3]:443");

        int checked = Concurrently.passwordChecks(List.of(protection), users, addresses, 40);

        assertThat(checked).isEqualTo(5);
        assertThat(protection.attempt("alice", "2001:db8:0:1::99").blocked()).isTrue();
    }

    @Test
    void hugeUsernamesAndAddressesAreBoundedSubjects() {
        LoginProtection protection = builder().maxFailures(2).build();
        String user = "u".repeat(1_000_000);
        String address = "x".repeat(1_000_000);
        wrongPassword(protection, user, address);
        wrongPassword(protection, user, address);

        assertThat(protection.attempt(user, address).blocked()).isTrue();
    }

    @Test
    void rejectsNonPositiveMaximums() {
        assertThatThrownBy(() -> LoginProtection.builder().maxFailures(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFailures").hasMessageContaining("0");
        assertThatThrownBy(() -> LoginProtection.builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> LoginProtection.builder().instances(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instances");
        assertThatThrownBy(() -> LoginProtection.builder().keyPrefix("a{b}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> LoginProtection.builder().blockDuration(Duration.ofMinutes(10)).growingBlocks(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlockDuration").hasMessageContaining("PT5M");
    }
}
