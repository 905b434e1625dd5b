package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CircuitBreakerTest {

    private final ManualClock clock = new ManualClock();
    private final List<CircuitBreakerEvent> events = new ArrayList<>();

    private CircuitBreaker.Builder breaker() {
        return CircuitBreaker.builder("cb").clock(clock).countBasedWindow(10).minimumNumberOfCalls(4)
                .failureRateThreshold(50).openDuration(Duration.ofSeconds(10)).permittedCallsInHalfOpen(2)
                .listener(events::add);
    }

    private static void fail(CircuitBreaker breaker) {
        assertThatThrownBy(() -> breaker.call(() -> {
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
    }

    private static void succeed(CircuitBreaker breaker) throws Exception {
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
    }

    private List<String> transitions() {
        List<String> result = new ArrayList<>();
        for (CircuitBreakerEvent e : events) {
            if (e.type() == CircuitBreakerEvent.Type.STATE_TRANSITION) {
                result.add(e.fromState() + "->" + e.toState());
            }
        }
        return result;
    }

    @Test
    void staysClosedBelowMinimumNumberOfCalls() {
        CircuitBreaker breaker = breaker().build();

        fail(breaker);
        fail(breaker);
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void opensWhenFailureRateReachesThreshold() throws Exception {
        // Given two successes
        CircuitBreaker breaker = breaker().build();
        succeed(breaker);
        succeed(breaker);

        // When two failures make 50 % of 4 calls
        fail(breaker);
        fail(breaker);

        // Then the breaker is open
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions()).containsExactly("CLOSED->OPEN");
    }

    @Test
    void opensWhenASuccessBringsTheWindowToTheMinimumAboveTheThreshold() throws Exception {
        // Given three failures, one short of the minimum number of calls
        CircuitBreaker breaker = breaker().build();
        fail(breaker);
        fail(breaker);
        fail(breaker);

        // When a success makes it four calls with 75 % failures
        succeed(breaker);

        // Then the breaker opens
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void staysClosedBelowFailureRateThreshold() throws Exception {
        CircuitBreaker breaker = breaker().build();
        succeed(breaker);
        succeed(breaker);
        succeed(breaker);
        fail(breaker);
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.failureRate()).isEqualTo(40f);
    }

    @Test
    void openBreakerRejectsWithoutRunningNamingBreakerAndTimeLeft() {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(3));

        assertThatThrownBy(() -> breaker.call(() -> {
            throw new AssertionError("must not run");
        })).isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
            assertThat(e.breakerName()).isEqualTo("cb");
            assertThat(e.remainingOpen()).isEqualTo(Duration.ofSeconds(7));
            assertThat(e.getMessage()).contains("'cb'").contains("OPEN").contains("7000 ms");
            assertThat(e.getStackTrace()).isEmpty();
            assertThat(e.isRejection()).isTrue();
        });
        assertThat(events).last().extracting(CircuitBreakerEvent::type).isEqualTo(CircuitBreakerEvent.Type.NOT_PERMITTED);
    }

    @Test
    void halfOpenAfterOpenDurationAndClosesWhenProbesSucceed() throws Exception {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.OPEN);

        clock.advance(Duration.ofSeconds(10));
        succeed(breaker);
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        succeed(breaker);

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(transitions()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void halfOpenPermitsOnlyTheProbeCalls() {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breaker.releasePermission();
        assertThat(breaker.tryAcquirePermission()).isTrue();
    }

    @Test
    void strayReleaseDoesNotAddProbes() {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.HALF_OPEN);

        breaker.releasePermission();

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
    }

    @Test
    void halfOpenWaitsForUnreportedProbesUntilTheMaximumWait() {
        // Given a half-open breaker whose two probes are out and have not reported
        CircuitBreaker breaker = breaker().maxWaitInHalfOpen(Duration.ofSeconds(5)).build();
        breaker.transitionTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();

        // When a call asks just before the maximum wait has passed
        clock.advance(Duration.ofSeconds(5).minusNanos(1));
        boolean permitted = breaker.tryAcquirePermission();

        // Then it is rejected and the breaker keeps waiting for the probes
        assertThat(permitted).isFalse();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void reopensWhenProbesDoNotReportWithinTheMaximumWait() {
        // Given a half-open breaker whose two probes never report (a lost callback)
        CircuitBreaker breaker = breaker().maxWaitInHalfOpen(Duration.ofSeconds(5)).build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();

        // When a call asks once the maximum wait has passed
        clock.advance(Duration.ofSeconds(5));
        boolean permitted = breaker.tryAcquirePermission();

        // Then the breaker reopens for the open duration and rejects the call
        assertThat(permitted).isFalse();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
        assertThat(rejection(breaker).remainingOpen()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void lostProbesCountAsFailedProbesSoTheOpenDurationGrows() {
        // Given a breaker whose open duration doubles on failed probes, half-open with its probes lost
        CircuitBreaker breaker = breaker().maxWaitInHalfOpen(Duration.ofSeconds(5)).openDurationMultiplier(2)
                .maxOpenDuration(Duration.ofSeconds(100)).build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();

        // When the maximum wait passes and a call asks
        clock.advance(Duration.ofSeconds(5));

        // Then the breaker reopens for twice the open duration
        assertThat(rejection(breaker).remainingOpen()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void maximumWaitInHalfOpenCountsFromTheLastPermittedProbe() {
        // Given a half-open breaker whose second probe was permitted 4 s after the first
        CircuitBreaker breaker = breaker().maxWaitInHalfOpen(Duration.ofSeconds(5)).build();
        breaker.transitionTo(State.HALF_OPEN);
        breaker.tryAcquirePermission();
        clock.advance(Duration.ofSeconds(4));
        breaker.tryAcquirePermission();

        // When a call asks 4 s later (8 s after the first probe)
        clock.advance(Duration.ofSeconds(4));
        breaker.tryAcquirePermission();

        // Then the breaker still waits for the second probe, and reopens once its 5 s have passed
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        clock.advance(Duration.ofSeconds(1));
        breaker.tryAcquirePermission();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void probeReportingAfterTheMaximumWaitDoesNotCloseTheReopenedBreaker() {
        // Given a breaker that reopened because its probes did not report in time
        CircuitBreaker breaker = breaker().maxWaitInHalfOpen(Duration.ofSeconds(5)).build();
        breaker.transitionTo(State.HALF_OPEN);
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();
        clock.advance(Duration.ofSeconds(5));
        breaker.tryAcquirePermission();

        // When the late probes report success
        breaker.onSuccess(0);
        breaker.onSuccess(0);

        // Then the breaker stays open
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void reopensWhenProbesFail() {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.OPEN);
        clock.advance(Duration.ofSeconds(10));

        fail(breaker);
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(transitions()).endsWith("HALF_OPEN->OPEN");
    }

    @Test
    void openDurationGrowsOnRepeatedFailedProbesUpToTheMaximum() {
        CircuitBreaker breaker = breaker().openDurationMultiplier(2).maxOpenDuration(Duration.ofSeconds(30)).build();
        breaker.transitionTo(State.OPEN);
        List<Duration> openFor = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1000));
            fail(breaker);
            fail(breaker);
            openFor.add(rejection(breaker).remainingOpen());
        }

        assertThat(openFor).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    private static CallNotPermittedException rejection(CircuitBreaker breaker) {
        try {
            breaker.call(() -> "x");
        } catch (CallNotPermittedException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("call was permitted");
    }

    @Test
    void slowCallsOpenTheBreaker() throws Exception {
        CircuitBreaker breaker = breaker().slowCallDuration(Duration.ofSeconds(1)).slowCallRateThreshold(50).build();
        for (int i = 0; i < 4; i++) {
            breaker.call(() -> {
                clock.advance(Duration.ofSeconds(2));
                return "slow";
            });
        }

        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(events).extracting(CircuitBreakerEvent::type).contains(CircuitBreakerEvent.Type.SLOW_SUCCESS);
    }

    @Test
    void ignoredExceptionsCountNeitherWay() {
        CircuitBreaker breaker = breaker().ignore(IllegalArgumentException.class).build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                throw new IllegalArgumentException("bad input");
            })).isInstanceOf(IllegalArgumentException.class);
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.bufferedCalls()).isZero();
    }

    @Test
    void exceptionsOutsideRecordOnCountAsSuccess() {
        CircuitBreaker breaker = breaker().recordOn(IOException.class).build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                throw new IllegalStateException("business");
            })).isInstanceOf(IllegalStateException.class);
        }

        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
    }

    @Test
    void resultsTheRecordResultPredicateAcceptsCountAsFailures() throws Exception {
        // Given a breaker that counts a 503 reply as a failure, judging 2 calls
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).countBasedWindow(2).minimumNumberOfCalls(2)
                .recordResult(status -> (Integer) status == 503).build();

        // When two calls return 503
        // Then the callers get their 503 unchanged, and the breaker opens
        assertThat(breaker.call(() -> 503)).isEqualTo(503);
        assertThat(breaker.failureRate()).isEqualTo(-1f);
        assertThat(breaker.call(() -> 503)).isEqualTo(503);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void resultsTheRecordResultPredicateRejectsCountAsSuccesses() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).countBasedWindow(2).minimumNumberOfCalls(2)
                .failureRateThreshold(60).recordResult(status -> (Integer) status == 503).build();

        breaker.call(() -> 200);
        breaker.call(() -> 503);

        assertThat(breaker.failureRate()).isEqualTo(50f);
    }

    @Test
    void asyncResultsTheRecordResultPredicateAcceptsCountAsFailures() {
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).countBasedWindow(1).minimumNumberOfCalls(1)
                .recordResult(status -> (Integer) status == 503).build();

        CompletableFuture<Integer> result = breaker.callAsync(() -> CompletableFuture.completedFuture(503)).toCompletableFuture();

        assertThat(result).isCompletedWithValue(503);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void recordIfSelectsFailures() {
        CircuitBreaker breaker = breaker().recordIf(t -> t.getMessage().contains("down")).build();
        for (int i = 0; i < 4; i++) {
            fail(breaker);
        }
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void countWindowForgetsOldOutcomes() throws Exception {
        CircuitBreaker breaker = breaker().failureRateThreshold(60).build();
        for (int i = 0; i < 3; i++) {
            fail(breaker);
            succeed(breaker);
            succeed(breaker);
        }
        assertThat(breaker.failureRate()).isGreaterThan(30f);
        for (int i = 0; i < 10; i++) {
            succeed(breaker);
        }
        assertThat(breaker.failureRate()).isZero();
        assertThat(breaker.bufferedCalls()).isEqualTo(10);
    }

    @Test
    void failureAfterAHealthyFullWindowLeavesItAfterWindowSizeCalls() throws Exception {
        // Given a window of 10 full of successes (many more calls than its size)
        CircuitBreaker breaker = breaker().build();
        for (int i = 0; i < 25; i++) {
            succeed(breaker);
        }

        // When one call fails and nine succeed
        fail(breaker);
        for (int i = 0; i < 9; i++) {
            succeed(breaker);
        }

        // Then the failure is still one of the last 10 calls, and the next success pushes it out
        assertThat(breaker.failureRate()).isEqualTo(10f);
        succeed(breaker);
        assertThat(breaker.failureRate()).isZero();
        assertThat(breaker.bufferedCalls()).isEqualTo(10);
    }

    @Test
    void timeBasedWindowForgetsCallsOlderThanTheWindow() throws Exception {
        CircuitBreaker breaker = breaker().timeBasedWindow(Duration.ofSeconds(10)).build();
        fail(breaker);
        fail(breaker);
        fail(breaker);
        clock.advance(Duration.ofSeconds(11));

        succeed(breaker);
        fail(breaker);

        assertThat(breaker.bufferedCalls()).isEqualTo(2);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void timeBasedWindowOpensOnFailureRate() throws Exception {
        CircuitBreaker breaker = breaker().timeBasedWindow(Duration.ofSeconds(10)).build();
        succeed(breaker);
        clock.advance(Duration.ofSeconds(3));
        fail(breaker);
        succeed(breaker);
        clock.advance(Duration.ofSeconds(3));
        fail(breaker);

        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void timeBasedWindowOpensWhenASuccessFollowsTheExpiryOfOlderSuccesses() throws Exception {
        // Given a time-based window where six successes are followed 5 s later by three failures (33 %)
        CircuitBreaker breaker = breaker().timeBasedWindow(Duration.ofSeconds(10)).build();
        for (int i = 0; i < 6; i++) {
            succeed(breaker);
        }
        clock.advance(Duration.ofSeconds(5));
        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        // When the successes leave the window and one more success makes 75 % failures of four calls
        clock.advance(Duration.ofSeconds(6));
        succeed(breaker);

        // Then the breaker opens
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FFFS", "FFSS", "SFFS", "SFSF", "FSSF", "SSSFFS", "SSSSFFFF", "SSSSSSSSFF"})
    void countAndTimeBasedWindowsOpenOnTheSameCall(String outcomes) throws Exception {
        // Given a count-based and a time-based breaker with the same thresholds, both windows holding every call
        CircuitBreaker counting = breaker().countBasedWindow(10).build();
        CircuitBreaker timed = breaker().timeBasedWindow(Duration.ofSeconds(10)).build();

        // When both see the same successes (S) and failures (F)
        int countingOpenedAt = openedAt(counting, outcomes);
        int timedOpenedAt = openedAt(timed, outcomes);

        // Then both open on the same call (a success may be that call: FFFS, FFSS, SFFS), or neither opens
        assertThat(timedOpenedAt).isEqualTo(countingOpenedAt);
    }

    /** The 1-based index of the call after which the breaker is OPEN, or -1 when it stays CLOSED. */
    private static int openedAt(CircuitBreaker breaker, String outcomes) throws Exception {
        for (int i = 0; i < outcomes.length(); i++) {
            if (outcomes.charAt(i) == 'F') {
                fail(breaker);
            } else {
                succeed(breaker);
            }
            if (breaker.state() == State.OPEN) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void disabledPermitsEverythingAndRecordsNothing() {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.DISABLED);
        for (int i = 0; i < 20; i++) {
            fail(breaker);
        }
        assertThat(breaker.state()).isEqualTo(State.DISABLED);
    }

    @Test
    void forcedOpenRejectsEverythingUntilClosedByHand() throws Exception {
        CircuitBreaker breaker = breaker().build();
        breaker.transitionTo(State.FORCED_OPEN);
        clock.advance(Duration.ofHours(1));

        assertThat(breaker.tryAcquirePermission()).isFalse();
        breaker.transitionTo(State.CLOSED);
        succeed(breaker);
    }

    @Test
    void manualApiRecordsOutcomes() {
        CircuitBreaker breaker = breaker().build();
        for (int i = 0; i < 4; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.onError(1_000, new IOException("down"));
        }
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThatThrownBy(breaker::acquirePermission).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void asyncCallsAreRecorded() {
        CircuitBreaker breaker = breaker().build();
        for (int i = 0; i < 4; i++) {
            CompletionStage<String> stage = breaker.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));
            assertThat(stage.toCompletableFuture()).isCompletedExceptionally();
        }
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture())
                .failsWithin(Duration.ZERO).withThrowableOfType(Exception.class)
                .withCauseInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void healthCheckFollowsState() throws Exception {
        CircuitBreaker breaker = breaker().build();
        HealthCheck check = breaker.asHealthCheck();
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);

        breaker.transitionTo(State.OPEN);
        HealthCheckResult open = check.check();
        assertThat(open.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(open.details()).containsEntry("state", "OPEN");

        breaker.transitionTo(State.HALF_OPEN);
        assertThat(check.check().status()).isEqualTo(HealthStatus.DEGRADED);
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").failureRateThreshold(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold").hasMessageContaining("101");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").failureRateThreshold(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").slowCallRateThreshold(-5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("slowCallRateThreshold");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").openDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openDuration").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").countBasedWindow(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("countBasedWindow");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").minimumNumberOfCalls(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimumNumberOfCalls");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").maxWaitInHalfOpen(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWaitInHalfOpen").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CircuitBreaker.builder("cb").openDuration(Duration.ofSeconds(10))
                .maxOpenDuration(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOpenDuration");
    }

    @Test
    void exposesItsEffectiveSettings() {
        // given a breaker built with every duration and threshold set
        CircuitBreaker breaker = CircuitBreaker.builder("settings").failureRateThreshold(40f).slowCallRateThreshold(70f)
                .slowCallDuration(Duration.ofMillis(300)).timeBasedWindow(Duration.ofSeconds(20)).minimumNumberOfCalls(5)
                .openDuration(Duration.ofSeconds(10)).openDurationMultiplier(2.0).maxOpenDuration(Duration.ofMinutes(2))
                .permittedCallsInHalfOpen(3).maxWaitInHalfOpen(Duration.ofSeconds(15)).build();

        // then its getters report them back
        assertThat(breaker.failureRateThreshold()).isEqualTo(40f);
        assertThat(breaker.slowCallRateThreshold()).isEqualTo(70f);
        assertThat(breaker.slowCallDuration()).isEqualTo(Duration.ofMillis(300));
        assertThat(breaker.timeBasedWindow()).isTrue();
        assertThat(breaker.windowSize()).isEqualTo(20);
        assertThat(breaker.minimumNumberOfCalls()).isEqualTo(5);
        assertThat(breaker.openDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(breaker.openDurationMultiplier()).isEqualTo(2.0);
        assertThat(breaker.maxOpenDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(breaker.permittedCallsInHalfOpen()).isEqualTo(3);
        assertThat(breaker.maxWaitInHalfOpen()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void defaultSettingsReadBackAsDocumented() {
        // given a breaker with the defaults
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("defaults");

        // then the getters report the documented defaults: no slow calls, a 100-call window, max open = open
        assertThat(breaker.failureRateThreshold()).isEqualTo(50f);
        assertThat(breaker.slowCallDuration()).isEqualTo(Duration.ZERO);
        assertThat(breaker.timeBasedWindow()).isFalse();
        assertThat(breaker.windowSize()).isEqualTo(100);
        assertThat(breaker.minimumNumberOfCalls()).isEqualTo(10);
        assertThat(breaker.openDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(breaker.maxOpenDuration()).isEqualTo(breaker.openDuration());
        assertThat(breaker.permittedCallsInHalfOpen()).isEqualTo(10);
    }
}
