package dev.resilience.core;

import dev.resilience.core.internal.Throwables;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The base of the core policies. Each policy runs "the rest of the chain" ({@link Step}) instead of the
 * work itself, so {@link Resilience} links policies once, at composition time, and a composed call
 * allocates nothing more than the policies do on their own.
 */
abstract class ComposablePolicy implements Policy {

    /** Runs {@code next} (which ends in the work) under this policy. */
    abstract <T> T execute(Callable<T> work, Step next) throws Exception;

    /** Runs {@code next} asynchronously under this policy, within {@code deadline} (null for none). */
    abstract <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next,
            @Nullable Deadline deadline);

    // call and callAsync are not final: javac then adds public bridges to each (final) public policy class,
    // so reflection and proxies see them as members of a public class, not of this package-private one

    @Override
    public <T> T call(Callable<T> work) throws Exception {
        return execute(work, Step.WORK);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
        return AsyncStep.run(this, work, AsyncStep.WORK, null);
    }

    /**
     * A new future that completes like {@code stage} once {@code observer} has seen the outcome; a failure
     * is passed on unwrapped from {@link java.util.concurrent.CompletionException}, so callers of every
     * policy see the work's own exception.
     */
    static <T> CompletableFuture<T> relay(CompletionStage<T> stage, BiConsumer<? super T, Throwable> observer) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, thrown) -> {
            Throwable failure = thrown == null ? null : Throwables.unwrap(thrown);
            try {
                observer.accept(value, failure);
            } finally {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(failure);
                }
            }
        });
        return result;
    }

    /** The rest of a blocking chain. */
    abstract static class Step {

        /** The end of every chain: the work itself. */
        static final Step WORK = new Step() {
            @Override
            <T> T call(Callable<T> work) throws Exception {
                return work.call();
            }
        };

        abstract <T> T call(Callable<T> work) throws Exception;

        /** {@code policy} in front of {@code next}. */
        static Step of(Policy policy, Step next) {
            if (policy instanceof ComposablePolicy) {
                ComposablePolicy composable = (ComposablePolicy) policy;
                return new Step() {
                    @Override
                    <T> T call(Callable<T> work) throws Exception {
                        return composable.execute(work, next);
                    }
                };
            }
            return new Step() {
                @Override
                <T> T call(Callable<T> work) throws Exception {
                    return policy.call(() -> next.call(work));
                }
            };
        }
    }

    /**
     * The rest of an asynchronous chain. A step never throws: whatever goes wrong, in the work or in a
     * policy (a scheduler that refuses a task, say), reaches the caller as a failed stage, so a policy that
     * took something before calling the next step (a bulkhead slot, a half-open probe) always sees an
     * outcome on which to give it back.
     */
    abstract static class AsyncStep {

        /** The end of every asynchronous chain: the work itself; a synchronous throw becomes a failed stage. */
        static final AsyncStep WORK = new AsyncStep() {
            @Override
            <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> work, @Nullable Deadline deadline) {
                try {
                    CompletionStage<T> stage = work.get();
                    if (stage == null) {
                        return CompletableFuture.failedFuture(new NullPointerException("the work returned a null CompletionStage"));
                    }
                    return stage;
                } catch (Throwable t) {
                    return CompletableFuture.failedFuture(t);
                }
            }
        };

        abstract <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> work, @Nullable Deadline deadline);

        /** {@code policy} over {@code next}, a synchronous throw turned into a failed stage. */
        static <T> CompletionStage<T> run(ComposablePolicy policy, Supplier<? extends CompletionStage<T>> work,
                AsyncStep next, @Nullable Deadline deadline) {
            try {
                return policy.executeAsync(work, next, deadline);
            } catch (Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
        }

        static AsyncStep of(Policy policy, AsyncStep next) {
            if (policy instanceof ComposablePolicy) {
                ComposablePolicy composable = (ComposablePolicy) policy;
                return new AsyncStep() {
                    @Override
                    <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> work, @Nullable Deadline deadline) {
                        return run(composable, work, next, deadline);
                    }
                };
            }
            return new AsyncStep() {
                @Override
                <T> CompletionStage<T> call(Supplier<? extends CompletionStage<T>> work, @Nullable Deadline deadline) {
                    try {
                        return policy.callAsync(() -> next.call(work, deadline));
                    } catch (Throwable t) {
                        return CompletableFuture.failedFuture(t);
                    }
                }
            };
        }
    }
}
