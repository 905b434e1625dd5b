package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AsyncFallbackTest {

    private static <T> Throwable failureOf(CompletionStage<T> stage) {
        return stage.toCompletableFuture().handle((value, failure) -> failure).join();
    }

    @Test
    void replacesAFailedStageWithTheFallbacksStage() {
        Fallback<String> fallback = Fallback.ofStage(failure -> CompletableFuture.completedFuture("cached: " + failure.getMessage()));

        CompletionStage<String> result = fallback.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));

        assertThat(result.toCompletableFuture()).isCompletedWithValue("cached: down");
    }

    @Test
    void completesOnlyWhenTheFallbackStageCompletes() {
        CompletableFuture<String> fromCache = new CompletableFuture<>();
        Fallback<String> fallback = Fallback.ofStage(failure -> fromCache);

        CompletableFuture<String> result = fallback.<String>callAsync(
                () -> CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture();

        assertThat(result).isNotDone();
        fromCache.complete("late");
        assertThat(result).isCompletedWithValue("late");
    }

    @Test
    void aFailedFallbackStageReachesTheCallerUnwrapped() {
        Fallback<String> fallback = Fallback.ofStage(failure -> CompletableFuture.supplyAsync(() -> {
            throw new IllegalStateException("cache down too");
        }));

        CompletionStage<String> result = fallback.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));

        assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class).hasMessage("cache down too");
    }

    @Test
    void aNullFallbackStageFailsTheCallersStage() {
        Fallback<String> fallback = Fallback.ofStage(failure -> null);

        CompletionStage<String> result = fallback.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));

        assertThat(failureOf(result)).isInstanceOf(NullPointerException.class).hasMessageContaining("null CompletionStage");
    }

    @Test
    void unhandledFailuresAndSuccessesPassThrough() {
        Fallback<String> fallback = Fallback.<String>builderOfStage(failure -> CompletableFuture.completedFuture("cached"))
                .handle(IOException.class)
                .build();

        CompletionStage<String> unhandled = fallback.callAsync(
                () -> CompletableFuture.failedFuture(new IllegalArgumentException("bug")));
        CompletionStage<String> success = fallback.callAsync(() -> CompletableFuture.completedFuture("fresh"));

        assertThat(failureOf(unhandled)).isInstanceOf(IllegalArgumentException.class);
        assertThat(success.toCompletableFuture()).isCompletedWithValue("fresh");
    }

    @Test
    void replacesAnUnwantedResultAndPublishesAnEvent() {
        List<FallbackEvent> events = new ArrayList<>();
        Fallback<String> fallback = Fallback.<String>builderOfStage(failure -> CompletableFuture.completedFuture("cached"))
                .handleResult(value -> value.isEmpty())
                .listener(events::add)
                .build();

        CompletionStage<String> result = fallback.callAsync(() -> CompletableFuture.completedFuture(""));

        assertThat(result.toCompletableFuture()).isCompletedWithValue("cached");
        assertThat(events).hasSize(1);
    }

    @Test
    void aBlockingCallWaitsForTheFallbackStage() throws Exception {
        Fallback<String> fallback = Fallback.ofStage(failure -> CompletableFuture.completedFuture("cached"));

        String result = fallback.call(() -> {
            throw new IOException("down");
        });

        assertThat(result).isEqualTo("cached");
    }

    @Test
    void aBlockingCallGetsTheFallbackStagesFailureUnchanged() {
        IllegalStateException cacheDown = new IllegalStateException("cache down too");
        Fallback<String> fallback = Fallback.ofStage(failure -> CompletableFuture.failedFuture(cacheDown));

        assertThatThrownBy(() -> fallback.call(() -> {
            throw new IOException("down");
        })).isSameAs(cacheDown);
    }

    @Test
    void worksAsTheOutermostPolicyOfAComposition() {
        CircuitBreaker breaker = CircuitBreaker.builder("b").countBasedWindow(1).minimumNumberOfCalls(1).build();
        Resilience composed = Resilience.of(Fallback.ofStage(failure -> CompletableFuture.completedFuture(
                failure instanceof CallNotPermittedException ? "rejected" : "failed")), breaker);

        CompletionStage<String> first = composed.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")));
        CompletionStage<String> second = composed.callAsync(() -> CompletableFuture.completedFuture("never runs"));

        assertThat(first.toCompletableFuture()).isCompletedWithValue("failed");
        assertThat(second.toCompletableFuture()).isCompletedWithValue("rejected");
    }
}
