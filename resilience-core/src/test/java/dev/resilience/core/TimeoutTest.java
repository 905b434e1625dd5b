package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TimeoutTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<TimeoutEvent> events = new ArrayList<>();
    private final Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).scheduler(scheduler)
            .clock(clock).listener(events::add).build();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void returnsResultInTimeAndCancelsTheTimer() throws Exception {
        assertThat(timeout.call(() -> "ok")).isEqualTo("ok");

        assertThat(scheduler.pendingTasks()).isZero();
        assertThat(events).extracting(TimeoutEvent::type).containsExactly(TimeoutEvent.Type.SUCCESS);
    }

    @Test
    void interruptsBlockingWorkAtTheDeadline() {
        // Given work that blocks until interrupted (time passes while it runs)
        // When the deadline passes
        // Then the call fails with a timeout whose cause is what the work threw
        assertThatThrownBy(() -> timeout.call(() -> {
            scheduler.advance(Duration.ofSeconds(2));
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped");
            }
            return "too late";
        })).isInstanceOfSatisfying(TimeoutExceededException.class, e -> {
            assertThat(e.timeoutName()).isEqualTo("t");
            assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
        });
        assertThat(events).extracting(TimeoutEvent::type).containsExactly(TimeoutEvent.Type.TIMEOUT);
    }

    @Test
    void interruptNeverLeaksIntoTheCallersNextOperation() {
        // Given work that ignores the interrupt and finishes after the deadline
        assertThatThrownBy(() -> timeout.call(() -> {
            scheduler.advance(Duration.ofSeconds(2));
            return "ignored the interrupt";
        })).isInstanceOf(TimeoutExceededException.class);

        // Then the caller's thread is not left interrupted
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void workFailureInTimeReachesCallerUnchanged() {
        IllegalStateException failure = new IllegalStateException("boom");
        assertThatThrownBy(() -> timeout.call(() -> {
            throw failure;
        })).isSameAs(failure);
    }

    @Test
    void deadlineIsVisibleToTheWorkChain() throws Exception {
        Long remaining = timeout.call(() -> Deadline.current().remainingNanos());

        assertThat(remaining).isEqualTo(Duration.ofSeconds(1).toNanos());
        assertThat(Deadline.current()).isNull();
    }

    @Test
    void nestedTimeoutKeepsTheEarlierDeadline() throws Exception {
        Timeout longer = Timeout.builder("longer").duration(Duration.ofSeconds(5)).scheduler(scheduler).clock(clock).build();

        Long remaining = timeout.call(() -> longer.call(() -> Deadline.current().remainingNanos()));

        assertThat(remaining).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void innerTimeoutFailsAtOnceWhenTheOuterDeadlineHasPassed() {
        Timeout inner = Timeout.builder("inner").duration(Duration.ofSeconds(5)).scheduler(scheduler).clock(clock).build();

        assertThatThrownBy(() -> timeout.call(() -> {
            clock.advance(Duration.ofSeconds(1));
            return inner.call(() -> {
                throw new AssertionError("must not run");
            });
        })).isInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void timeoutInterruptsARetryAttemptAndTheRetryStops() {
        // Given a retry inside the timeout whose attempt blocks past the deadline
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        Retry retry = Retry.builder("r").maxAttempts(5).clock(clock).sleeper(scheduler).scheduler(scheduler)
                .backoff(Backoff.none()).build();

        // When the timeout interrupts the attempt
        assertThatThrownBy(() -> Resilience.of(timeout, retry).call(() -> {
            attempts.incrementAndGet();
            scheduler.advance(Duration.ofSeconds(2));
            if (Thread.interrupted()) {
                throw new InterruptedException("stopped");
            }
            return "late";
        })).isInstanceOf(TimeoutExceededException.class).hasCauseInstanceOf(InterruptedException.class);

        // Then no other attempt started and the interrupt did not leak
        assertThat(attempts).hasValue(1);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void asyncCompletesExceptionallyAtTheDeadline() {
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> result = timeout.callAsync(() -> never).toCompletableFuture();
        assertThat(result).isNotDone();

        scheduler.advance(Duration.ofSeconds(1));

        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(TimeoutExceededException.class);
    }

    @Test
    void asyncWorkIsCancelledAtTheDeadlineWhenAsked() {
        Timeout cancelling = Timeout.builder("c").duration(Duration.ofSeconds(1)).scheduler(scheduler).clock(clock)
                .cancelOnTimeout(true).build();
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> kept = new CompletableFuture<>();

        cancelling.callAsync(() -> work);
        timeout.callAsync(() -> kept);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(work).isCancelled();
        assertThat(kept).isNotDone();
    }

    @Test
    void asyncResultInTimeIsPassedOn() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = timeout.callAsync(() -> work).toCompletableFuture();

        work.complete("ok");
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(result).isCompletedWithValue("ok");
        assertThat(scheduler.pendingTasks()).isZero();
    }

    @Test
    void asyncCallWithARefusingSchedulerReturnsAFailedStageInsteadOfThrowing() {
        // Given a timeout whose scheduler's executor is shut down
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).scheduler(Fixtures.refusingScheduler()).build();

        // When asynchronous work is called through it
        CompletableFuture<String> result = timeout.<String>callAsync(() -> CompletableFuture.completedFuture("x"))
                .toCompletableFuture();

        // Then callAsync returned a stage, failed with the scheduler's refusal
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void halfOpenProbeIsRecordedWhenAnInnerPolicyThrowsSynchronously() {
        // Given a half-open breaker with one probe around a timeout whose scheduler refuses every task
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).scheduler(Fixtures.refusingScheduler()).build();
        CircuitBreaker breaker = CircuitBreaker.builder("cb").permittedCallsInHalfOpen(1).build();
        breaker.transitionTo(CircuitBreaker.State.HALF_OPEN);

        // When the probe fails that way
        CompletableFuture<String> result = Resilience.of(breaker, timeout)
                .<String>callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture();

        // Then the probe counted as failed (the breaker reopened) instead of being lost
        assertThat(result).isCompletedExceptionally();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void builderRejectsMissingOrBadDuration() {
        assertThatThrownBy(() -> Timeout.builder("t").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> Timeout.of(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration").hasMessageContaining("PT0S");
    }
}
