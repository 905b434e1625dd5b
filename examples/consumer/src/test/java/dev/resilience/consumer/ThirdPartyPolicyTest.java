package dev.resilience.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.Backoff;
import dev.resilience.core.Fallback;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import dev.resilience.core.Retry;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Core's {@code Policy} Javadoc says code outside the library may implement {@code Policy} and mix it
 * into {@code Resilience.of(...)}, where it runs where it is listed, through its own call and callAsync.
 * This policy is written outside core, in a user's project, as a rate limiter adapter would be.
 */
class ThirdPartyPolicyTest {

    /** Admits a fixed number of calls, then rejects; records every call it sees. */
    static final class PermitPolicy implements Policy {
        final AtomicInteger permits;
        final List<String> seen;

        PermitPolicy(int permits, List<String> seen) {
            this.permits = new AtomicInteger(permits);
            this.seen = seen;
        }

        @Override
        public <T> T call(Callable<T> work) throws Exception {
            seen.add("permits");
            if (permits.getAndDecrement() <= 0) {
                throw new IllegalStateException("rate limited");
            }
            return work.call();
        }

        @Override
        public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
            seen.add("permits async");
            if (permits.getAndDecrement() <= 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("rate limited"));
            }
            return work.get();
        }
    }

    final ManualClock clock = new ManualClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final Retry retry = Retry.builder("third-party").maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .retryOn(IOException.class).clock(clock).sleeper(scheduler).scheduler(scheduler).build();

    @Test
    void aPolicyInsideTheRetryIsAskedOnEveryAttempt() throws Exception {
        List<String> seen = new ArrayList<>();
        Policy composed = Resilience.of(retry, new PermitPolicy(10, seen));
        AtomicInteger attempts = new AtomicInteger();

        String result = composed.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "ok";
        });

        assertThat(result).isEqualTo("ok");
        assertThat(seen).containsExactly("permits", "permits", "permits");
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void aPolicyOutsideTheRetryIsAskedOnceAndItsRejectionReachesTheFallback() throws Exception {
        List<String> seen = new ArrayList<>();
        PermitPolicy permits = new PermitPolicy(1, seen);
        Policy composed = Resilience.of(Fallback.of("fallback"), permits, retry);

        assertThat(composed.call(() -> "ok")).isEqualTo("ok");
        assertThat(composed.call(() -> "ok")).isEqualTo("fallback");
        assertThat(seen).containsExactly("permits", "permits");
        assertThatThrownBy(() -> Resilience.of(permits, retry).call(() -> "ok"))
                .isInstanceOf(IllegalStateException.class).hasMessage("rate limited");
    }

    @Test
    void anAsynchronousCallRunsThroughItsCallAsync() {
        List<String> seen = new ArrayList<>();
        Policy composed = Resilience.of(retry, new PermitPolicy(10, seen));
        AtomicInteger attempts = new AtomicInteger();

        CompletionStage<String> result = composed.callAsync(() -> attempts.incrementAndGet() < 2
                ? CompletableFuture.failedFuture(new IOException("flaky"))
                : CompletableFuture.completedFuture("ok"));
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(result.toCompletableFuture()).isCompletedWithValue("ok");
        assertThat(seen).containsExactly("permits async", "permits async");
    }
}
