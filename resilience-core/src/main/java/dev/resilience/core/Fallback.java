package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import dev.resilience.core.internal.Throwables;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Replaces a failure (or an unwanted result) with a value: a constant, or one computed from the failure.
 *
 * <pre>{@code
 * Fallback<List<Offer>> noOffers = Fallback.of(List.of());
 * Fallback<Price> cached = Fallback.<Price>builder(failure -> priceCache.last(sku))
 *     .handle(IOException.class, CallNotPermittedException.class)
 *     .build();
 * }</pre>
 *
 * <p>By default every {@link Exception} is handled (including rejections and timeouts, which is usually
 * what a fallback is for); {@link Builder#handle(Class[])} and {@link Builder#handleIf(Predicate)} narrow
 * that, and {@link Builder#handleResult(Predicate)} also replaces results. Failures that are not handled,
 * and {@link Error}s, reach the caller unchanged. For a replaced result the function receives null.
 *
 * <p>An asynchronous fallback computes its value as a {@link CompletionStage}, for example from another
 * service or a cache that answers asynchronously:
 *
 * <pre>{@code
 * Fallback<Price> fromCache = Fallback.ofStage(failure -> priceCache.lastAsync(sku));
 * CompletionStage<Price> price = Resilience.of(fromCache, retry, breaker).callAsync(() -> prices.fetch(sku));
 * }</pre>
 *
 * <p>In {@link #callAsync(Supplier)} its stage is chained without blocking: the caller's stage completes
 * with the fallback stage's value or, if that fails, with its failure (unwrapped). In a blocking
 * {@link #call(Callable)} the calling thread waits for the fallback stage.
 *
 * <p>The fallback value is returned as the type the caller expects; give each call site a fallback of
 * the matching type (a mismatch fails with a {@link ClassCastException} at the caller).
 *
 * <p>Immutable and thread-safe if the function is.
 *
 * @param <R> the type of the fallback value
 */
public final class Fallback<R> extends ComposablePolicy {

    private final String name;
    /** Computes the value; null for an asynchronous fallback. */
    private final @Nullable Function<? super Throwable, ? extends R> function;
    /** Computes the value as a stage; null for a plain fallback. */
    private final @Nullable Function<? super Throwable, ? extends CompletionStage<? extends R>> stageFunction;
    private final List<Class<? extends Throwable>> handle;
    private final @Nullable Predicate<? super Throwable> handleIf;
    private final @Nullable Predicate<? super R> handleResult;
    private final Listeners<FallbackEvent> listeners;

    private Fallback(Builder<R> builder) {
        this.name = builder.name;
        this.function = builder.function;
        this.stageFunction = builder.stageFunction;
        this.handle = List.copyOf(builder.handle);
        this.handleIf = builder.handleIf;
        this.handleResult = builder.handleResult;
        this.listeners = new Listeners<>(builder.listeners);
    }

    /**
     * Returns {@code value} instead of any exception.
     *
     * @param value the fallback value, returned for every replaced failure
     * @param <R> the type of the fallback value
     * @return the fallback
     */
    public static <R> Fallback<R> of(R value) {
        return Fallback.<R>builder(failure -> value).build();
    }

    /**
     * Returns {@code function(failure)} instead of any exception.
     *
     * @param function computes the value from the failure
     * @param <R> the type of the fallback value
     * @return the fallback
     */
    public static <R> Fallback<R> of(Function<? super Throwable, ? extends R> function) {
        return Fallback.<R>builder(function).build();
    }

    /**
     * A builder for a fallback computed by {@code function} (which receives null for a replaced result).
     *
     * @param function computes the value from the failure (null for a replaced result)
     * @param <R> the type of the fallback value
     * @return a new builder
     */
    public static <R> Builder<R> builder(Function<? super Throwable, ? extends R> function) {
        return new Builder<>(Objects.requireNonNull(function, "function"), null);
    }

    /**
     * Completes with the stage {@code function(failure)} returns instead of any exception.
     *
     * @param function computes a stage of the value from the failure
     * @param <R> the type of the fallback value
     * @return the fallback
     */
    public static <R> Fallback<R> ofStage(Function<? super Throwable, ? extends CompletionStage<? extends R>> function) {
        return Fallback.<R>builderOfStage(function).build();
    }

    /**
     * A builder for an asynchronous fallback: {@code function} (which receives null for a replaced result)
     * returns a stage whose value replaces the failure.
     *
     * @param function computes a stage of the value from the failure (null for a replaced result)
     * @param <R> the type of the fallback value
     * @return a new builder
     */
    public static <R> Builder<R> builderOfStage(
            Function<? super Throwable, ? extends CompletionStage<? extends R>> function) {
        return new Builder<>(null, Objects.requireNonNull(function, "function"));
    }

    /** {@return the name given to the builder, used in events; {@code "fallback"} by default} */
    public String name() {
        return name;
    }

    /**
     * The failure types replaced, subtypes included ({@link Builder#handle}); empty by default, when every
     * {@link Exception} (not an {@link Error}) is replaced unless {@link #handleIf()} is set.
     *
     * @return the types, unmodifiable
     */
    public List<Class<? extends Throwable>> handle() {
        return handle;
    }

    /**
     * The predicate that also selects failures to replace ({@link Builder#handleIf}).
     *
     * @return the predicate, or null when none was set (the default)
     */
    public @Nullable Predicate<? super Throwable> handleIf() {
        return handleIf;
    }

    /**
     * The predicate on returned values that replaces them too ({@link Builder#handleResult}).
     *
     * @return the predicate, or null when returned values are never replaced (the default)
     */
    public @Nullable Predicate<? super R> handleResult() {
        return handleResult;
    }

    /**
     * Whether the fallback value is computed asynchronously ({@link #builderOfStage}, {@link #ofStage}).
     *
     * @return true for a fallback whose function returns a stage
     */
    public boolean isAsync() {
        return stageFunction != null;
    }

    /**
     * Adds a listener; it receives the events that happen afterwards.
     *
     * @param listener called for each event, on the thread that saw it; keep it fast and thread-safe
     */
    public void addListener(PolicyListener<? super FallbackEvent> listener) {
        listeners.add(listener);
    }

    /**
     * True when this fallback replaces {@code failure}.
     *
     * @param failure a failure of the work
     * @return true when it is replaced
     */
    public boolean handles(Throwable failure) {
        if (!(failure instanceof Exception)) {
            return false;
        }
        if (handle.isEmpty() && handleIf == null) {
            return true;
        }
        return Exceptions.isInstanceOfAny(handle, failure) || (handleIf != null && handleIf.test(failure));
    }

    @Override
    @SuppressWarnings("unchecked")
    <T> T execute(Callable<T> work, Step next) throws Exception {
        T result;
        try {
            result = next.call(work);
        } catch (Throwable failure) {
            if (!handles(failure)) {
                throw failure;
            }
            return (T) applyBlocking(failure);
        }
        if (handleResult != null && handleResult.test((R) result)) {
            return (T) applyBlocking(null);
        }
        return result;
    }

    /** The fallback value; for an asynchronous fallback, waits for its stage. */
    private R applyBlocking(@Nullable Throwable failure) throws Exception {
        if (stageFunction == null) {
            return apply(failure);
        }
        CompletionStage<? extends R> stage = applyStage(failure);
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw Exceptions.rethrow(Throwables.unwrap(e));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline deadline) {
        CompletableFuture<T> result = new CompletableFuture<>();
        next.call(work, deadline).whenComplete((value, thrown) -> {
            Throwable failure = thrown == null ? null : Throwables.unwrap(thrown);
            try {
                if (failure != null && handles(failure)) {
                    complete(result, failure);
                } else if (failure != null) {
                    result.completeExceptionally(failure);
                } else if (handleResult != null && handleResult.test((R) value)) {
                    complete(result, null);
                } else {
                    result.complete(value);
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Completes {@code result} with the fallback value, chaining an asynchronous fallback's stage. */
    @SuppressWarnings("unchecked")
    private <T> void complete(CompletableFuture<T> result, @Nullable Throwable failure) {
        if (stageFunction == null) {
            result.complete((T) apply(failure));
            return;
        }
        applyStage(failure).whenComplete((value, thrown) -> {
            if (thrown == null) {
                result.complete((T) value);
            } else {
                result.completeExceptionally(Throwables.unwrap(thrown));
            }
        });
    }

    private CompletionStage<? extends R> applyStage(@Nullable Throwable failure) {
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent(name, failure));
        }
        // only called when stageFunction is set (applyBlocking and complete check it)
        CompletionStage<? extends R> stage = Objects.requireNonNull(stageFunction, "stageFunction").apply(failure);
        if (stage == null) {
            throw new NullPointerException("the fallback function of '" + name + "' returned a null CompletionStage");
        }
        return stage;
    }

    private R apply(@Nullable Throwable failure) {
        if (!listeners.isEmpty()) {
            listeners.publish(new FallbackEvent(name, failure));
        }
        // only called when stageFunction is null, so function is set (one of the two always is)
        return Objects.requireNonNull(function, "function").apply(failure);
    }

    @Override
    public String toString() {
        return "Fallback{" + name + "}";
    }

    /** Builds a {@link Fallback}. Not thread-safe; the fallback it builds is. */
    public static final class Builder<R> {
        private String name = "fallback";
        private final @Nullable Function<? super Throwable, ? extends R> function;
        private final @Nullable Function<? super Throwable, ? extends CompletionStage<? extends R>> stageFunction;
        private final List<Class<? extends Throwable>> handle = new ArrayList<>();
        private @Nullable Predicate<? super Throwable> handleIf;
        private @Nullable Predicate<? super R> handleResult;
        private final List<PolicyListener<? super FallbackEvent>> listeners = new ArrayList<>();

        private Builder(@Nullable Function<? super Throwable, ? extends R> function,
                @Nullable Function<? super Throwable, ? extends CompletionStage<? extends R>> stageFunction) {
            this.function = function;
            this.stageFunction = stageFunction;
        }

        /**
         * The name used in events. Default "fallback".
         *
         * @param name the name, not blank
         * @return this builder
         */
        public Builder<R> name(String name) {
            this.name = Arguments.name(name);
            return this;
        }

        /**
         * Replaces only exceptions of these types (and those {@link #handleIf} accepts).
         *
         * @param types the exception types, subtypes included
         * @return this builder
         */
        @SafeVarargs
        public final Builder<R> handle(Class<? extends Throwable>... types) {
            Exceptions.addTypes(handle, "handle", types);
            return this;
        }

        /**
         * Replaces exceptions this predicate accepts (in addition to {@link #handle} types).
         *
         * @param predicate tested with each exception; must be thread-safe
         * @return this builder
         */
        public Builder<R> handleIf(Predicate<? super Throwable> predicate) {
            this.handleIf = Objects.requireNonNull(predicate, "handleIf");
            return this;
        }

        /**
         * Also replaces successful results this predicate accepts.
         *
         * @param predicate tested with each result (possibly null); must be thread-safe
         * @return this builder
         */
        public Builder<R> handleResult(Predicate<? super R> predicate) {
            this.handleResult = Objects.requireNonNull(predicate, "handleResult");
            return this;
        }

        /**
         * Adds a listener for the fallback's events.
         *
         * @param listener called on the calling thread for each event; keep it fast
         * @return this builder
         */
        public Builder<R> listener(PolicyListener<? super FallbackEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the fallback.
         *
         * @return the fallback
         */
        public Fallback<R> build() {
            return new Fallback<>(this);
        }
    }
}
