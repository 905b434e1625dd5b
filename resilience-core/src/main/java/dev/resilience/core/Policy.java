package dev.resilience.core;

import dev.resilience.core.internal.Throwables;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A resilience policy that runs work: {@link Retry}, {@link CircuitBreaker}, {@link Timeout},
 * {@link Bulkhead}, {@link Fallback}, or several of them composed with {@link Resilience#of(Policy...)}.
 *
 * <p>Exceptions thrown by the work reach the caller unchanged (never wrapped); the library's own
 * exceptions extend {@link ResilienceException}. Implementations are immutable and thread-safe: one
 * instance serves every caller.
 *
 * <p>Code outside this library may implement this interface (an adapter around a rate limiter, for
 * example) and mix it into {@link Resilience#of(Policy...)}; it then runs where it is listed, outermost
 * first, like the core policies. Such a policy takes part through its own {@link #call(Callable)} and
 * {@link #callAsync(Supplier)} only: each call costs it one more lambda, and it does not see the deadline
 * of a {@link Timeout} composed outside it (the core policies inside it still do). The linked,
 * allocation-free path that {@link Resilience} builds is reserved for the core policies; it is not an
 * extension point.
 */
public interface Policy {

    /**
     * Runs {@code work} under this policy and returns its result.
     *
     * @param work the work; it may run more than once (a retry)
     * @param <T> the result type
     * @return what the work returned
     * @throws Exception whatever the work throws, unchanged, or a {@link ResilienceException} of the policy
     *                   (a rejection, a timeout)
     */
    <T> T call(Callable<T> work) throws Exception;

    /**
     * Runs {@code work} under this policy.
     *
     * @param work the work; it may run more than once (a retry)
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
     * @param work the work; it may run more than once (a retry)
     * @param <T> the result type
     * @return what the work returned
     * @throws RuntimeException whatever the work throws, unchanged, or a {@link ResilienceException}
     */
    default <T> T get(Supplier<T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            // only reachable if the supplier threw a checked exception sneakily: keep it unchanged
            throw Throwables.<RuntimeException>sneakyThrow(e);
        }
    }

    /**
     * Runs asynchronous work under this policy. The returned stage completes with the work's result or
     * with its failure unchanged (unwrapped from {@link java.util.concurrent.CompletionException}), or
     * with a {@link ResilienceException} of the policy. No thread is blocked while waiting (backoff and
     * timeouts run on a {@link Scheduler}).
     *
     * @param work supplies the stage of one attempt; it may be asked more than once (a retry)
     * @param <T> the result type
     * @return a stage with the work's result or failure; never null
     */
    <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work);

    /**
     * {@code work} under this policy, as a {@link Callable} to keep and call many times: each call runs
     * {@link #call(Callable)}, so no lambda is needed at each call site.
     *
     * @param work the work
     * @param <T> the result type
     * @return a callable that runs the work under this policy on every call
     */
    default <T> Callable<T> decorateCallable(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> call(work);
    }

    /**
     * {@code work} under this policy, as a reusable {@link Supplier}; each call runs {@link #get(Supplier)}.
     *
     * @param work the work
     * @param <T> the result type
     * @return a supplier that runs the work under this policy on every call
     */
    default <T> Supplier<T> decorateSupplier(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> get(work);
    }

    /**
     * {@code work} under this policy, as a reusable {@link Function}: each application runs the work with
     * its argument through {@link #get(Supplier)}.
     *
     * @param work the work
     * @param <A> the argument type
     * @param <T> the result type
     * @return a function that runs the work under this policy on every application
     */
    default <A, T> Function<A, T> decorateFunction(Function<A, T> work) {
        Objects.requireNonNull(work, "work");
        return argument -> get(() -> work.apply(argument));
    }

    /**
     * Asynchronous {@code work} under this policy, as a reusable supplier of stages; each call runs
     * {@link #callAsync(Supplier)} and never throws.
     *
     * @param work supplies the stage of one attempt
     * @param <T> the result type
     * @return a supplier of stages that runs the work under this policy on every call
     */
    default <T> Supplier<CompletionStage<T>> decorateCompletionStage(Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        return () -> callAsync(work);
    }
}
