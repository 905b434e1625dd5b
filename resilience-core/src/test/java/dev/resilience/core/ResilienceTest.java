package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResilienceTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);

    private Retry.Builder retry() {
        return Retry.builder("r").clock(clock).sleeper(scheduler).scheduler(scheduler)
                .backoff(Backoff.fixed(Duration.ofMillis(100)));
    }

    /** A policy outside core, to show the order in which policies run. */
    private static Policy recording(String name, List<String> trace) {
        return new Policy() {
            @Override
            public <T> T call(java.util.concurrent.Callable<T> work) throws Exception {
                trace.add(name + " in");
                try {
                    return work.call();
                } finally {
                    trace.add(name + " out");
                }
            }

            @Override
            public <T> java.util.concurrent.CompletionStage<T> callAsync(
                    java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<T>> work) {
                trace.add(name + " in");
                return work.get();
            }
        };
    }

    @Test
    void runsPoliciesOutermostFirst() throws Exception {
        List<String> trace = new ArrayList<>();
        Policy policy = Resilience.of(recording("a", trace), recording("b", trace));

        policy.call(() -> trace.add("work"));

        assertThat(trace).containsExactly("a in", "b in", "work", "b out", "a out");
    }

    @Test
    void fallbackCatchesWhatRetryFinallyThrows() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(Fallback.of(failure -> "fallback after " + failure.getMessage()),
                retry().maxAttempts(3).build());

        String result = policy.call(() -> {
            throw new IOException("attempt " + calls.incrementAndGet());
        });

        assertThat(result).isEqualTo("fallback after attempt 3");
    }

    @Test
    void retryAroundBreakerDoesNotRetryItsRejection() {
        // Given a retry around a breaker that opens after two failures
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).minimumNumberOfCalls(2)
                .countBasedWindow(2).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(retry().maxAttempts(5).build(), breaker);

        // When the work keeps failing
        assertThatThrownBy(() -> policy.call(() -> {
            calls.incrementAndGet();
            throw new IOException("down");
        })).isInstanceOf(CallNotPermittedException.class);

        // Then the breaker opened after two attempts and the retry stopped at the rejection
        assertThat(calls).hasValue(2);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(scheduler.sleeps()).hasSize(2);
    }

    @Test
    void rejectionThatEndsARetryCarriesTheFailuresThatOpenedTheBreaker() {
        // Given a retry around a breaker that opens after two failures
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).minimumNumberOfCalls(2)
                .countBasedWindow(2).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(retry().maxAttempts(5).build(), breaker);

        // When the work keeps failing until the breaker rejects the third attempt
        // Then the rejection carries the two failures as suppressed exceptions, and still no stack trace
        assertThatThrownBy(() -> policy.call(() -> {
            throw new IOException("down " + calls.incrementAndGet());
        })).isInstanceOfSatisfying(CallNotPermittedException.class, e -> {
            assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("down 1", "down 2");
            assertThat(e.getStackTrace()).isEmpty();
        });
    }

    @Test
    void asyncRejectionThatEndsARetryCarriesTheFailuresThatOpenedTheBreaker() {
        CircuitBreaker breaker = CircuitBreaker.builder("cb").clock(clock).minimumNumberOfCalls(2)
                .countBasedWindow(2).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(retry().maxAttempts(5).build(), breaker);

        CompletableFuture<String> result = policy.<String>callAsync(
                () -> CompletableFuture.failedFuture(new IOException("down " + calls.incrementAndGet())))
                .toCompletableFuture();
        scheduler.runAll();

        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(CallNotPermittedException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("down 1", "down 2"));
    }

    @Test
    void retryInsideATimeoutStartsNoAttemptThatTheFirstAttemptsDurationSaysCannotFinish() {
        // Given a 1 s timeout around 5 attempts with 100 ms backoff, and work that fails after 600 ms
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock).scheduler(scheduler).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(timeout, retry().maxAttempts(5).build());

        // When the first attempt fails
        // Then the caller gets its IOException at once: a second attempt (100 ms + 600 ms) cannot end by 1 s
        assertThatThrownBy(() -> policy.call(() -> {
            calls.incrementAndGet();
            scheduler.advance(Duration.ofMillis(600));
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(calls).hasValue(1);
        assertThat(Duration.ofNanos(clock.nanoTime())).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void asyncRetryInsideATimeoutStartsNoAttemptThatTheFirstAttemptsDurationSaysCannotFinish() {
        // Given a 1 s timeout around 5 attempts with 100 ms backoff, and async work that fails after 600 ms
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock).scheduler(scheduler).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(timeout, retry().maxAttempts(5).build());

        // When the first attempt fails
        CompletableFuture<String> result = policy.<String>callAsync(Fixtures.failingAfter(scheduler, Duration.ofMillis(600), calls)).toCompletableFuture();
        scheduler.runAll();

        // Then the caller gets the IOException after the first attempt, not a timeout after a second one
        assertThat(calls).hasValue(1);
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(IOException.class);
    }

    @Test
    void timeoutOutsideRetryBoundsTheRetries() {
        // Given a 1 s timeout around a retry with 400 ms backoff and attempts that take 100 ms
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock).scheduler(scheduler).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(timeout, retry().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(400))).build());

        // When every attempt fails
        assertThatThrownBy(() -> policy.call(() -> {
            calls.incrementAndGet();
            clock.advance(Duration.ofMillis(100));
            throw new IOException("down");
        })).isInstanceOf(IOException.class);

        // Then the retry stopped before an attempt that could not finish by the deadline
        // (attempts at 0 and 500 ms; a third at 1000 ms would end past 1 s)
        assertThat(calls).hasValue(2);
    }

    @Test
    void asyncTimeoutPassesItsDeadlineToAnInnerRetry() {
        // Given a 1 s timeout around a retry with 400 ms backoff, async attempts that fail after 100 ms
        Timeout timeout = Timeout.builder("t").duration(Duration.ofSeconds(1)).clock(clock).scheduler(scheduler).build();
        Retry retry = retry().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(400))).build();
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(timeout, retry);

        // When every attempt fails
        CompletableFuture<String> result = policy.<String>callAsync(Fixtures.failingAfter(scheduler, Duration.ofMillis(100), calls)).toCompletableFuture();
        scheduler.runAll();

        // Then the retry gave up before an attempt that could not end by the deadline, and the caller got
        // the work's failure rather than a timeout
        assertThat(calls).hasValue(2);
        assertThat(result.handle((v, t) -> t).join()).isInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(clock.nanoTime())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void foreignPoliciesComposeAsynchronously() {
        List<String> trace = new ArrayList<>();
        Policy policy = Resilience.of(recording("outer", trace), Fallback.of("fallback"), recording("inner", trace));

        CompletableFuture<String> result = policy.<String>callAsync(
                () -> CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture();

        assertThat(result).isCompletedWithValue("fallback");
        assertThat(trace).containsExactly("outer in", "inner in");
    }

    @Test
    void nestedCompositionsAreFlattened() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("cb");
        Retry retry = Retry.ofDefaults("r");
        Fallback<String> fallback = Fallback.of("x");

        Resilience nested = Resilience.of(fallback, Resilience.of(retry, breaker));

        assertThat(nested.policies()).containsExactly(fallback, retry, breaker);
    }

    @Test
    void asyncCompositionRetriesAndFallsBack() {
        AtomicInteger calls = new AtomicInteger();
        Policy policy = Resilience.of(Fallback.of("fallback"), retry().maxAttempts(2).build());

        CompletableFuture<String> result = policy.<String>callAsync(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new IOException("down"));
        }).toCompletableFuture();
        scheduler.runAll();

        assertThat(result).isCompletedWithValue("fallback");
        assertThat(calls).hasValue(2);
    }

    @Test
    void getAndRunPassTheWorkThroughAndItsExceptionsUnchanged() throws Exception {
        Policy policy = Resilience.of(retry().maxAttempts(1).build(), CircuitBreaker.ofDefaults("cb"));
        IllegalStateException failure = new IllegalStateException("boom");
        List<String> ran = new ArrayList<>();

        assertThat(policy.get(() -> "value")).isEqualTo("value");
        policy.run(() -> ran.add("ran"));
        assertThatThrownBy(() -> policy.get(() -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(ran).containsExactly("ran");
    }

    @Test
    void rejectsEmptyComposition() {
        assertThatThrownBy(Resilience::of).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("policies");
    }
}
