package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class FallbackTest {

    @Test
    void replacesAnyExceptionWithTheValue() throws Exception {
        Fallback<String> fallback = Fallback.of("cached");

        assertThat(fallback.<String>call(() -> {
            throw new IOException("down");
        })).isEqualTo("cached");
    }

    @Test
    void computesTheValueFromTheFailure() throws Exception {
        Fallback<String> fallback = Fallback.of(failure -> "because " + failure.getMessage());

        assertThat(fallback.<String>call(() -> {
            throw new IOException("down");
        })).isEqualTo("because down");
    }

    @Test
    void passesUnhandledFailuresUnchanged() {
        IllegalStateException bug = new IllegalStateException("bug");
        Fallback<String> fallback = Fallback.<String>builder(f -> "x").handle(IOException.class).build();

        assertThatThrownBy(() -> fallback.call(() -> {
            throw bug;
        })).isSameAs(bug);
    }

    @Test
    void replacesResultsThePredicateRejects() throws Exception {
        List<FallbackEvent> events = new ArrayList<>();
        Fallback<String> fallback = Fallback.<String>builder(f -> "default").handleResult(String::isEmpty)
                .listener(events::add).build();

        assertThat(fallback.call(() -> "")).isEqualTo("default");
        assertThat(fallback.call(() -> "value")).isEqualTo("value");
        assertThat(events).hasSize(1).first().extracting(FallbackEvent::cause).isNull();
    }

    @Test
    void asyncFailureIsReplaced() {
        Fallback<String> fallback = Fallback.of("cached");

        CompletableFuture<String> result = fallback.<String>callAsync(
                () -> CompletableFuture.failedFuture(new IOException("down"))).toCompletableFuture();

        assertThat(result).isCompletedWithValue("cached");
    }

    @Test
    void doesNotHandleErrors() {
        Fallback<String> fallback = Fallback.of("cached");

        assertThatThrownBy(() -> fallback.call(() -> {
            throw new StackOverflowError();
        })).isInstanceOf(StackOverflowError.class);
    }
}
