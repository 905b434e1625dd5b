package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

    private final ManualClock source = new ManualClock();
    private final ManualScheduler ticker = new ManualScheduler(source);
    private final CoarseClock coarse = CoarseClock.of(source, Duration.ofMillis(1), ticker);

    @Test
    void nothingIsScheduledBeforeTheFirstReading() {
        assertThat(ticker.pendingTasks()).isZero();

        coarse.nanoTime();

        assertThat(ticker.pendingTasks()).isEqualTo(1);
        assertThat(ticker.scheduledDelays()).containsExactly(Duration.ofMillis(1));
    }

    @Test
    void readingStandsStillBetweenTicksAndCatchesUpAtEachTick() {
        source.advanceMillis(5);
        assertThat(coarse.nanoTime()).isEqualTo(Duration.ofMillis(5).toNanos());

        source.advance(Duration.ofNanos(900_000)); // the source moves, no tick yet
        assertThat(coarse.nanoTime()).isEqualTo(Duration.ofMillis(5).toNanos());

        ticker.advance(Duration.ofNanos(100_000)); // the tick falls due at 6 ms
        assertThat(coarse.nanoTime()).isEqualTo(Duration.ofMillis(6).toNanos());

        ticker.advance(Duration.ofMillis(3));
        assertThat(coarse.nanoTime()).isEqualTo(Duration.ofMillis(9).toNanos());
        assertThat(ticker.pendingTasks()).isEqualTo(1);
    }

    @Test
    void afterCloseReadingsAreTheSourcesOwnAndNothingTicks() {
        coarse.nanoTime();

        coarse.close();
        source.advance(Duration.ofNanos(1234));

        assertThat(coarse.isClosed()).isTrue();
        assertThat(ticker.pendingTasks()).isZero();
        assertThat(coarse.nanoTime()).isEqualTo(1234);
        coarse.close(); // idempotent
    }

    @Test
    void closingBeforeTheFirstReadingNeverStartsTheTicker() {
        coarse.close();

        source.advanceMillis(2);

        assertThat(coarse.nanoTime()).isEqualTo(Duration.ofMillis(2).toNanos());
        assertThat(ticker.pendingTasks()).isZero();
    }

    @Test
    void wallTimeIsTheSourcesExactTime() {
        coarse.nanoTime();
        source.advance(Duration.ofNanos(1500));

        assertThat(coarse.now()).isEqualTo(source.now());
        assertThat(coarse.currentTimeMillis()).isEqualTo(source.currentTimeMillis());
    }

    @Test
    void rejectsANonPositiveResolution() {
        assertThatThrownBy(() -> CoarseClock.of(source, Duration.ZERO, ticker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolution");
    }

    @Test
    void breakerJudgesSlowCallsWithItsCallClock() throws Exception {
        // Given a breaker that opens on one slow call and times calls with the coarse clock
        CircuitBreaker breaker = CircuitBreaker.builder("coarse").clock(source).callClock(coarse)
                .countBasedWindow(1).minimumNumberOfCalls(1).slowCallDuration(Duration.ofSeconds(1)).build();

        // When a call takes 2 s of source time but no tick falls inside it, it reads as 0 s: not slow
        breaker.call(() -> {
            source.advanceMillis(2000);
            return "fast as far as the coarse clock knows";
        });
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        // When ticks run during the next call, it reads as slow and opens the breaker
        ticker.runDue();
        breaker.call(() -> {
            ticker.advance(Duration.ofMillis(1500));
            return "slow";
        });
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void breakerTimesCallsWithItsClockByDefault() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("exact").clock(source)
                .countBasedWindow(1).minimumNumberOfCalls(1).slowCallDuration(Duration.ofSeconds(1)).build();

        breaker.call(() -> {
            source.advanceMillis(1000);
            return "slow";
        });

        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void systemCoarseClockIsSharedAndFollowsTheSystemClock() {
        CoarseClock shared = CoarseClock.system();

        long before = System.nanoTime();
        long reading = shared.nanoTime();

        assertThat(shared).isSameAs(CoarseClock.system());
        assertThat(shared.resolution()).isEqualTo(Duration.ofMillis(1));
        // the first reading may be the last tick, at most a resolution (plus scheduling delay) behind
        assertThat(reading).isGreaterThan(before - Duration.ofSeconds(10).toNanos());
        assertThat(reading).isLessThanOrEqualTo(System.nanoTime());
    }
}
