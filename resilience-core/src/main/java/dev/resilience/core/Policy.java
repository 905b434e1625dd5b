package dev.resilience.core;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A resilience policy that runs work: {@link Retry}, {@link CircuitBreaker}, {@link Timeout},
 * {@link Bulkhead}, {@link Fallback}, or several of them composed with {@link Resilience#of(Policy...)}.
 *
 * <p>Exceptions thrown by the work reach the caller unchanged (never wrapped); the library's own
 * exceptions extend {@link ResilienceException}. Implementations are immutable and thread-safe: one
 * instance serves every caller.
 *
 * <p>Other modules may implement this interface (a rate limiter, for example) and compose with the core
 * policies through {@link Resilience#of(Policy...)}.
 */
public interface Policy {

    /**
     * Runs {@code work} under this policy and returns its result.
     *
     * @throws Exception whatever the work throws, unchanged, or a {@link ResilienceException} of the policy
     *                   (a rejection, a timeout)
     */
    <T> T call(Callable<T> work) throws Exception;

    /**
     * Runs {@code work} under this policy.
     *
     * @throws Exception whatever the work throws, unchanged, or a {@link ResilienceException} of the policy
     */
    default void run(CheckedRunnable work) throws Exception {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work}, which throws no checked exception, under this policy.
     *
     * @throws RuntimeException whatever the work throws, unchanged, or a {@link ResilienceException}
     */
    default <T> T get(Supplier<T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // only reachable if the supplier threw a checked exception sneakily: keep it unchanged
            throw Exceptions.<RuntimeException>sneaky(e);
        }
    }

    /**
     * Runs asynchronous work under this policy. The returned stage completes with the work's result or
     * with its failure unchanged (unwrapped from {@link java.util.concurrent.CompletionException}), or
     * with a {@link ResilienceException} of the policy. No thread is blocked while waiting (backoff and
     * timeouts run on a {@link Scheduler}).
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work);
}
