package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<RetryEvent> events = new ArrayList<>();

    private Retry.Builder retry() {
        return Retry.builder("test").clock(clock).sleeper(scheduler).scheduler(scheduler)
                .backoff(Backoff.fixed(Duration.ofMillis(100))).listener(events::add);
    }

    /** Work that fails {@code failures} times with IOException("n") then returns "ok". */
    private static CheckedCallable failing(int failures, AtomicInteger calls) {
        return () -> {
            int n = calls.incrementAndGet();
            if (n <= failures) {
                throw new IOException("failure " + n);
            }
            return "ok";
        };
    }

    interface CheckedCallable extends java.util.concurrent.Callable<String> {
    }

    @Test
    void returnsResultOfFirstSuccessfulAttempt() throws Exception {
        // Given work that fails twice
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).build();

        // When it runs under the retry
        String result = retry.call(failing(2, calls));

        // Then the third attempt's result comes back after two backoff sleeps
        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
        assertThat(events).extracting(RetryEvent::type)
                .containsExactly(RetryEvent.Type.RETRY, RetryEvent.Type.RETRY, RetryEvent.Type.SUCCESS);
        assertThat(events.get(2).attempt()).isEqualTo(3);
    }

    @Test
    void successWithoutRetryPublishesOneSuccessEvent() throws Exception {
        Retry retry = retry().build();

        assertThat(retry.call(() -> "ok")).isEqualTo("ok");

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(RetryEvent.Type.SUCCESS);
            assertThat(e.attempt()).isEqualTo(1);
        });
        assertThat(scheduler.sleeps()).isEmpty();
    }

    @Test
    void exhaustionThrowsLastExceptionWithEarlierOnesSuppressed() {
        // Given work that always fails
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).build();

        // When the attempts run out
        // Then the caller gets the third failure, unchanged, with the first two suppressed
        assertThatThrownBy(() -> retry.call(failing(10, calls)))
                .isInstanceOf(IOException.class)
                .hasMessage("failure 3")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("failure 1", "failure 2"));
        assertThat(events).last().extracting(RetryEvent::type).isEqualTo(RetryEvent.Type.EXHAUSTED);
    }

    @Test
    void suppressedFailuresAreBounded() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(100).backoff(Backoff.none()).build();

        assertThatThrownBy(() -> retry.call(failing(1000, calls)))
                .hasMessage("failure 100")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(Retry.MAX_SUPPRESSED)
                        .extracting(Throwable::getMessage).endsWith("failure 98", "failure 99"));
    }

    @Test
    void sameExceptionInstanceIsNotSuppressedIntoItself() {
        IOException always = new IOException("same");
        Retry retry = retry().maxAttempts(3).build();

        assertThatThrownBy(() -> retry.call(() -> {
            throw always;
        })).isSameAs(always).satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
    }

    @Test
    void doesNotRetryExceptionsOutsideRetryOn() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().retryOn(IOException.class).build();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(calls).hasValue(1);
        assertThat(events).extracting(RetryEvent::type).containsExactly(RetryEvent.Type.NOT_RETRYABLE);
    }

    @Test
    void retryIfPredicateSelectsFailures() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().retryIf(t -> t.getMessage().startsWith("failure")).build();

        assertThat(retry.call(failing(2, calls))).isEqualTo("ok");
    }

    @Test
    void abortOnWinsOverRetryOn() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().retryOn(Exception.class).abortOn(IOException.class).build();

        assertThatThrownBy(() -> retry.call(failing(5, calls))).isInstanceOf(IOException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void doesNotRetryRejectionsByDefault() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().retryOn(Exception.class).build();

        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 1000);
        })).isInstanceOf(CallNotPermittedException.class);
        assertThat(calls).hasValue(1);
        assertThat(retry.isRetryable(new BulkheadFullException("b", 1))).isFalse();
    }

    @Test
    void retriesRejectionsWhenAsked() {
        Retry explicitType = retry().retryOn(BulkheadFullException.class).build();
        Retry flag = retry().retryRejections(true).build();

        assertThat(explicitType.isRetryable(new BulkheadFullException("b", 1))).isTrue();
        assertThat(flag.isRetryable(new CallNotPermittedException("cb", CircuitBreaker.State.OPEN, 0))).isTrue();
    }

    @Test
    void doesNotRetryErrorsOrInterruptedExceptionByDefault() {
        Retry retry = retry().build();

        assertThat(retry.isRetryable(new OutOfMemoryError())).isFalse();
        assertThat(retry.isRetryable(new InterruptedException())).isFalse();
        assertThat(retry.isRetryable(new TimeoutExceededException("t", Duration.ofSeconds(1), null))).isTrue();
    }

    @Test
    void retriesOnResultAndReturnsLastResultWhenExhausted() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).retryOnResult(r -> r == null || ((Integer) r) < 10).build();

        Integer result = retry.call(calls::incrementAndGet);

        assertThat(result).isEqualTo(3);
        assertThat(events).last().extracting(RetryEvent::type).isEqualTo(RetryEvent.Type.EXHAUSTED);
    }

    @Test
    void resultPredicateRunsOncePerAttempt() throws Exception {
        AtomicInteger tested = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(5).retryOnResult(r -> {
            tested.incrementAndGet();
            return ((Integer) r) < 3;
        }).build();

        assertThat(retry.call(calls::incrementAndGet)).isEqualTo(3);

        assertThat(tested).hasValue(3);
    }

    @Test
    void asyncRetriesOnResult() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(5).retryOnResult(r -> ((Integer) r) < 3).build();

        CompletableFuture<Integer> result = retry.callAsync(
                () -> CompletableFuture.completedFuture(calls.incrementAndGet())).toCompletableFuture();
        scheduler.runAll();

        assertThat(result).isCompletedWithValue(3);
        assertThat(events).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo(RetryEvent.Type.SUCCESS);
            assertThat(e.attempt()).isEqualTo(3);
        });
    }

    @Test
    void interruptDuringBackoffStopsRetryingAndKeepsTheFlag() {
        // Given a sleeper that is interrupted
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder("test").maxAttempts(5).sleeper(d -> {
            throw new InterruptedException();
        }).listener(events::add).build();

        try {
            // When the first attempt fails and the backoff is interrupted
            assertThatThrownBy(() -> retry.call(failing(5, calls))).isInstanceOf(IOException.class).hasMessage("failure 1");
            // Then no more attempts run and the thread is still marked interrupted
            assertThat(calls).hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(events).last().extracting(RetryEvent::type).isEqualTo(RetryEvent.Type.INTERRUPTED);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptedThreadDoesNotStartAnotherAttempt() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(5).build();

        try {
            assertThatThrownBy(() -> retry.call(() -> {
                calls.incrementAndGet();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted io");
            })).isInstanceOf(IOException.class);
            assertThat(calls).hasValue(1);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void maxDurationSkipsBackoffThatWouldEndPastIt() {
        // Given 1 s max duration, 400 ms backoff, attempts that take 100 ms
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(10).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(400))).build();

        // When every attempt fails
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            clock.advance(Duration.ofMillis(100));
            throw new IOException("down");
        })).isInstanceOf(IOException.class);

        // Then attempts start at 0, 500 ms; at 600 ms a 400 ms sleep would reach 1 s, so it stops
        assertThat(calls).hasValue(2);
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofMillis(400));
        assertThat(clock.nanoTime()).isLessThan(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void maxDurationStartsNoAttemptThatTheLongestEarlierAttemptSaysCannotFinish() {
        // Given a 1 s maximum duration, 50 ms backoff and attempts that take 900 ms
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(5).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(50))).build();

        // When the first attempt fails
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            clock.advance(Duration.ofMillis(900));
            throw new IOException("down");
        })).isInstanceOf(IOException.class);

        // Then no second attempt starts (900 ms + 50 ms + another 900 ms is past 1 s): the call ends at 900 ms
        assertThat(calls).hasValue(1);
        assertThat(scheduler.sleeps()).isEmpty();
        assertThat(Duration.ofNanos(clock.nanoTime())).isEqualTo(Duration.ofMillis(900));
        assertThat(events).last().extracting(RetryEvent::type).isEqualTo(RetryEvent.Type.EXHAUSTED);
    }

    @Test
    void maxDurationJudgesTheNextAttemptByTheLongestSoFar() {
        // Given a 1 s maximum duration, no backoff, a first attempt of 300 ms and later ones of 100 ms
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(10).maxDuration(Duration.ofSeconds(1)).backoff(Backoff.none()).build();

        // When every attempt fails
        assertThatThrownBy(() -> retry.call(() -> {
            clock.advance(Duration.ofMillis(calls.incrementAndGet() == 1 ? 300 : 100));
            throw new IOException("down");
        })).isInstanceOf(IOException.class);

        // Then attempts end at 300, 400, 500, 600 ms; at 700 ms another 300 ms would reach 1 s, so it stops there
        assertThat(calls).hasValue(5);
        assertThat(Duration.ofNanos(clock.nanoTime())).isEqualTo(Duration.ofMillis(700));
    }

    @Test
    void asyncMaxDurationStartsNoAttemptThatCannotFinish() {
        // Given a 1 s maximum duration and asynchronous attempts that fail after 900 ms
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(5).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(50))).build();

        // When it is called
        CompletableFuture<String> result = retry.<String>callAsync(Fixtures.failingAfter(scheduler, Duration.ofMillis(900), calls)).toCompletableFuture();
        scheduler.runAll();

        // Then the first attempt's failure ends the call
        assertThat(calls).hasValue(1);
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(IOException.class);
    }

    @Test
    void aPreallocatedExceptionThrownOnEveryCallGainsNoMoreThanTheBoundOfSuppressed() {
        // Given work whose last attempt always throws the same preallocated exception
        IOException shared = new IOException("preallocated");
        Retry retry = retry().maxAttempts(3).build();
        AtomicInteger calls = new AtomicInteger();

        // When many calls exhaust their attempts
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> retry.call(() -> {
                if (calls.incrementAndGet() % 3 != 0) {
                    throw new IOException("fresh " + calls.get());
                }
                throw shared;
            })).isSameAs(shared);
        }

        // Then it holds no more suppressed exceptions than the documented bound
        assertThat(shared.getSuppressed()).hasSize(Retry.MAX_SUPPRESSED);
    }

    @Test
    void anExceptionAlreadyHoldingTheBoundOfSuppressedGainsNone() {
        IOException full = new IOException("full");
        for (int i = 0; i < Retry.MAX_SUPPRESSED + 2; i++) {
            full.addSuppressed(new IOException("earlier " + i));
        }
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).build();

        assertThatThrownBy(() -> retry.call(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("fresh");
            }
            throw full;
        })).isSameAs(full);

        assertThat(full.getSuppressed()).hasSize(Retry.MAX_SUPPRESSED + 2);
    }

    @Test
    void budgetStopsRetriesWhenSpent() {
        // Given a budget of 2 retries for the window and no traffic
        RetryBudget budget = RetryBudget.builder().retryRatio(0).minRetriesPerSecond(1).window(Duration.ofSeconds(2))
                .clock(clock).build();
        Retry retry = retry().maxAttempts(10).budget(budget).backoff(Backoff.none()).build();
        AtomicInteger calls = new AtomicInteger();

        // When the work keeps failing
        assertThatThrownBy(() -> retry.call(failing(100, calls))).isInstanceOf(IOException.class);

        // Then only two retries ran
        assertThat(calls).hasValue(3);
        assertThat(events).last().extracting(RetryEvent::type).isEqualTo(RetryEvent.Type.BUDGET_EXHAUSTED);
    }

    @Test
    void asyncRetryBacksOffOnTheSchedulerWithoutBlocking() {
        // Given async work that fails twice
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).build();

        // When it is called
        CompletionStage<String> stage = retry.callAsync(() -> {
            if (calls.incrementAndGet() <= 2) {
                return CompletableFuture.failedFuture(new IOException("failure " + calls.get()));
            }
            return CompletableFuture.completedFuture("ok");
        });

        // Then the call returned at once with one attempt made and a retry scheduled
        assertThat(stage.toCompletableFuture()).isNotDone();
        assertThat(calls).hasValue(1);
        assertThat(scheduler.scheduledDelays()).containsExactly(Duration.ofMillis(100));
        assertThat(scheduler.sleeps()).isEmpty();

        // When time passes
        scheduler.advance(Duration.ofMillis(200));

        // Then the third attempt succeeded
        assertThat(stage.toCompletableFuture()).isCompletedWithValue("ok");
        assertThat(calls).hasValue(3);
    }

    @Test
    void asyncExhaustionFailsWithLastFailureUnwrapped() {
        Retry retry = retry().maxAttempts(2).build();
        AtomicInteger calls = new AtomicInteger();

        CompletableFuture<String> future = retry.<String>callAsync(() -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("failure " + calls.incrementAndGet());
        }, Runnable::run)).toCompletableFuture();
        scheduler.runAll();

        assertThat(future).isCompletedExceptionally();
        Throwable failure = future.handle((v, t) -> t).join();
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("failure 2");
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage).containsExactly("failure 1");
    }

    /** A failure that says when to try again, like an HTTP 429 or 503 with a Retry-After header. */
    static final class RetryAfterException extends IOException {
        final Duration retryAfter;

        RetryAfterException(Duration retryAfter) {
            super("busy, retry after " + retryAfter);
            this.retryAfter = retryAfter;
        }
    }

    private static Duration retryAfter(RetryAttempt attempt) {
        return attempt.lastFailure() instanceof RetryAfterException
                ? ((RetryAfterException) attempt.lastFailure()).retryAfter : null;
    }

    @Test
    void delayFromTheFailureHonoursRetryAfterAndFallsBackToTheBackoff() throws Exception {
        // Given a retry whose delay comes from a Retry-After when the failure carries one
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).delayFrom(RetryTest::retryAfter).build();

        // When the first attempt says "after 2 s" and the second fails plainly
        String result = retry.call(() -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new RetryAfterException(Duration.ofSeconds(2));
            }
            if (n == 2) {
                throw new IOException("plain");
            }
            return "ok";
        });

        // Then it waited 2 s, then the backoff's 100 ms
        assertThat(result).isEqualTo("ok");
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofMillis(100));
    }

    @Test
    void delayFromARetriedResult() throws Exception {
        // Given a retry of "busy" results whose delay the result names
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).retryOnResult(r -> ((String) r).startsWith("busy"))
                .delayFrom(a -> a.lastResult() == null ? null
                        : Duration.ofSeconds(Long.parseLong(((String) a.lastResult()).substring(5))))
                .build();

        String result = retry.call(() -> calls.incrementAndGet() == 1 ? "busy 3" : "done");

        assertThat(result).isEqualTo("done");
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterLongerThanTheTimeLeftEndsTheCallAtOnce() {
        // Given a 1 s maximum duration and a server that asks to come back in 5 s
        AtomicInteger calls = new AtomicInteger();
        Retry retry = retry().maxAttempts(3).maxDuration(Duration.ofSeconds(1)).delayFrom(RetryTest::retryAfter).build();

        // When the first attempt fails so
        // Then the caller gets that failure without waiting: the retry could not start in time
        assertThatThrownBy(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new RetryAfterException(Duration.ofSeconds(5));
        })).isInstanceOf(RetryAfterException.class);
        assertThat(calls).hasValue(1);
        assertThat(scheduler.sleeps()).isEmpty();
    }

    @Test
    void workSeesItsAttemptNumberThePreviousFailureAndTheTimeLeft() throws Exception {
        // Given a 1 s maximum duration, 100 ms backoff and attempts of 200 ms
        Retry retry = retry().maxAttempts(3).maxDuration(Duration.ofSeconds(1)).build();
        List<String> seen = new ArrayList<>();

        // When the work fails twice, then succeeds
        String result = retry.callWithAttempt(attempt -> {
            seen.add(attempt.number() + " after " + (attempt.lastFailure() == null ? "nothing" : attempt.lastFailure().getMessage())
                    + ", " + attempt.remaining().toMillis() + " ms left");
            clock.advance(Duration.ofMillis(200));
            if (attempt.number() < 3) {
                throw new IOException("failure " + attempt.number());
            }
            return "ok";
        });

        // Then each attempt saw its own context
        assertThat(result).isEqualTo("ok");
        assertThat(seen).containsExactly("1 after nothing, 1000 ms left", "2 after failure 1, 700 ms left",
                "3 after failure 2, 400 ms left");
    }

    @Test
    void attemptWithoutAnyTimeLimitHasNoRemainingTime() throws Exception {
        Retry retry = retry().build();

        assertThat(retry.callWithAttempt(RetryAttempt::remaining)).isNull();
    }

    @Test
    void asyncWorkSeesItsAttempt() {
        Retry retry = retry().maxAttempts(3).build();
        List<Integer> numbers = new ArrayList<>();

        CompletableFuture<String> result = retry.<String>callAsyncWithAttempt(attempt -> {
            numbers.add(attempt.number());
            return attempt.number() < 3 ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("ok after " + attempt.lastFailure().getMessage());
        }).toCompletableFuture();
        scheduler.runAll();

        assertThat(result).isCompletedWithValue("ok after down");
        assertThat(numbers).containsExactly(1, 2, 3);
    }

    @Test
    void builderRejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> Retry.builder("r").maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts").hasMessageContaining("0");
        assertThatThrownBy(() -> Retry.builder("r").maxDuration(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDuration").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> Retry.builder(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }
}
