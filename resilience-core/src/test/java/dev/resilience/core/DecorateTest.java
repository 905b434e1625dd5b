package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CircuitBreaker.State;
import dev.resilience.testkit.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DecorateTest {

    private final ManualClock clock = new ManualClock();

    private Retry retry() {
        return Retry.builder("retry").maxAttempts(3).backoff(Backoff.none()).clock(clock).build();
    }

    private CircuitBreaker breaker(int window) {
        return CircuitBreaker.builder("breaker").clock(clock).countBasedWindow(window).minimumNumberOfCalls(window).build();
    }

    @Test
    void decoratedSupplierRunsThroughThePolicyOnEveryCall() {
        AtomicInteger attempts = new AtomicInteger();
        Supplier<String> flaky = () -> {
            if (attempts.incrementAndGet() % 2 == 1) {
                throw new UncheckedIOException(new IOException("flaky"));
            }
            return "ok";
        };

        Supplier<String> decorated = retry().decorateSupplier(flaky);

        assertThat(decorated.get()).isEqualTo("ok");
        assertThat(decorated.get()).isEqualTo("ok");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void decoratedFunctionPassesItsArgumentAndIsJudgedByTheBreaker() {
        CircuitBreaker breaker = breaker(2);
        Function<Integer, Integer> half = n -> {
            if (n % 2 != 0) {
                throw new IllegalArgumentException("odd: " + n);
            }
            return n / 2;
        };

        Function<Integer, Integer> decorated = breaker.decorateFunction(half);

        assertThat(decorated.apply(8)).isEqualTo(4);
        assertThatThrownBy(() -> decorated.apply(3)).isInstanceOf(IllegalArgumentException.class).hasMessage("odd: 3");
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThatThrownBy(() -> decorated.apply(2)).isInstanceOf(CallNotPermittedException.class);
    }

    @Test
    void decoratedCallableOnACompositionRunsEveryPolicy() throws Exception {
        CircuitBreaker breaker = breaker(10);
        Resilience composed = Resilience.of(retry(), breaker);
        AtomicInteger attempts = new AtomicInteger();
        Callable<String> failsOnce = () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("once");
            }
            return "ok";
        };

        Callable<String> decorated = composed.decorateCallable(failsOnce);

        assertThat(decorated.call()).isEqualTo("ok");
        assertThat(attempts).hasValue(2);
        assertThat(breaker.bufferedCalls()).isEqualTo(2); // the breaker saw both attempts
    }

    @Test
    void decoratedCompletionStageOnACompositionFallsBackAsynchronously() {
        Resilience composed = Resilience.of(Fallback.of("cached"), breaker(10));
        CompletableFuture<String> pending = new CompletableFuture<>();

        Supplier<CompletionStage<String>> decorated = composed.decorateCompletionStage(() -> pending);
        CompletableFuture<String> result = decorated.get().toCompletableFuture();

        assertThat(result).isNotDone();
        pending.completeExceptionally(new IOException("down"));
        assertThat(result).isCompletedWithValue("cached");
    }

    @Test
    void decoratedCompletionStageReturnsAFailedStageInsteadOfThrowing() {
        Supplier<CompletionStage<String>> decorated = breaker(10).decorateCompletionStage(() -> {
            throw new IllegalStateException("thrown before any stage");
        });

        CompletableFuture<String> result = decorated.get().toCompletableFuture();

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(IllegalStateException.class);
    }
}
