package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import dev.resilience.core.internal.Results;
import dev.resilience.core.internal.Throwables;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work again when it fails, waiting a {@link Backoff} between attempts, within a number of attempts,
 * a total duration, an enclosing {@link Timeout}'s deadline and an optional shared {@link RetryBudget}.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *     .maxAttempts(4)
 *     .maxDuration(Duration.ofSeconds(10))
 *     .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL))
 *     .retryOn(IOException.class)
 *     .build();
 * Item item = retry.call(() -> client.fetch(id));
 * }</pre>
 *
 * <p>What the caller gets:
 * <ul>
 *   <li>the first successful result (or, when a result predicate keeps rejecting results, the last one);</li>
 *   <li>on failure, the last attempt's exception, with the latest earlier ones attached as
 *       {@linkplain Throwable#getSuppressed() suppressed} until it holds 8 suppressed exceptions in all
 *       (an instance thrown again and again, a preallocated one, never grows past that); when a rejection
 *       ({@link CallNotPermittedException}, {@link BulkheadFullException}) ends the retrying, the caller
 *       gets the rejection with the failures that caused it suppressed in it;</li>
 *   <li>when the thread is interrupted, retrying stops at once, the interrupt flag stays set and the last
 *       exception is thrown.</li>
 * </ul>
 *
 * <p>Which failures are retried: any {@link Exception} by default; only those matching
 * {@link Builder#retryOn(Class[]) retryOn} types or a {@link Builder#retryIf(Predicate) retryIf} predicate
 * once either is set; never those listed in {@link Builder#abortOn(Class[]) abortOn}, never an
 * {@link InterruptedException}, and never a rejection ({@link CallNotPermittedException},
 * {@link BulkheadFullException}: retrying into an open breaker only adds load) unless
 * {@link Builder#retryRejections(boolean)} is set or a rejection type is named in {@code retryOn}.
 *
 * <p>Time: an attempt that cannot finish in time is wasted, so a retry expects the next attempt to take
 * as long as the longest one so far (the first included) and starts it only if, after the backoff, it
 * would end before {@code maxDuration} (counted from the start of the call) and before the deadline of an
 * enclosing {@link Timeout}; otherwise the caller gets the last failure at once. Neither limit stops a
 * running attempt: with {@code maxDuration} alone the call ends by then unless its first attempt takes
 * longer, or its last attempt takes longer than the longest before it (by at most that difference). For a
 * hard bound put a {@link Timeout} around the retry.
 *
 * <p>The wait before a retry can come from the failed attempt instead of the backoff
 * ({@link Builder#delayFrom(java.util.function.Function)}, e.g. a server's {@code Retry-After}), under the
 * same time rules; the work can see its attempt (number, previous failure, time left) through
 * {@link #callWithAttempt(AttemptCallable)}.
 *
 * <p>Defaults: 3 attempts, exponential backoff from 100 ms doubling up to 5 s with full jitter, no
 * maximum duration, no budget. The asynchronous form ({@link #callAsync}) waits on the
 * {@link Scheduler} and blocks no thread; its retries start on the scheduler's thread.
 *
 * <p>Immutable and thread-safe; one instance serves every caller.
 */
public final class Retry extends ComposablePolicy {

    /** Earlier failures kept as suppressed exceptions of the last one; bounded so long loops stay cheap. */
    static final int MAX_SUPPRESSED = 8;
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final String name;
    private final int maxAttempts;
    private final long maxDurationNanos;
    private final Backoff backoff;
    private final List<Class<? extends Throwable>> retryOn;
    private final @Nullable Predicate<? super Throwable> retryIf;
    private final List<Class<? extends Throwable>> abortOn;
    private final boolean retryRejections;
    private final @Nullable Predicate<Object> retryOnResult;
    private final @Nullable Function<? super RetryAttempt, Duration> delayFrom;
    private final @Nullable RetryBudget budget;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Scheduler scheduler;
    private final Listeners<RetryEvent> listeners;
    /** The event of a call that succeeded at once: the same every time, so created once. */
    private final RetryEvent firstAttemptSuccess;

    private Retry(Builder builder) {
        this.name = builder.name;
        this.maxAttempts = builder.maxAttempts;
        this.maxDurationNanos = builder.maxDuration == null ? 0 : builder.maxDuration.toNanos();
        this.backoff = builder.backoff;
        this.retryOn = List.copyOf(builder.retryOn);
        this.retryIf = builder.retryIf;
        this.abortOn = List.copyOf(builder.abortOn);
        this.retryRejections = builder.retryRejections;
        this.retryOnResult = builder.retryOnResult;
        this.delayFrom = builder.delayFrom;
        this.budget = builder.budget;
        this.clock = builder.clock;
        this.sleeper = builder.sleeper;
        this.scheduler = builder.scheduler;
        this.listeners = new Listeners<>(builder.listeners);
        this.firstAttemptSuccess = new RetryEvent(name, RetryEvent.Type.SUCCESS, 1, Duration.ZERO, null);
    }

    /**
     * A retry with the defaults (3 attempts, exponential backoff with full jitter from 100 ms to 5 s).
     *
     * @param name the name, not blank
     * @return the retry
     */
    public static Retry ofDefaults(String name) {
        return builder(name).build();
    }

    /**
     * A builder for a retry called {@code name} (used in events, metrics and messages).
     *
     * @param name the name, not blank
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** {@return the name given to the builder, used in events, metrics and messages} */
    public String name() {
        return name;
    }

    /** {@return how many attempts a call makes at most, the first included (default 3)} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the maximum total duration, or null when there is none} */
    public @Nullable Duration maxDuration() {
        return maxDurationNanos == 0 ? null : Duration.ofNanos(maxDurationNanos);
    }

    /**
     * {@return the wait before each retry (exponential from 100 ms doubling up to 5 s with full jitter by default)}
     */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * The failure types retried, subtypes included ({@link Builder#retryOn}); empty by default, when every
     * {@link Exception} is retried unless {@link #retryIf()} is set.
     *
     * @return the types, unmodifiable
     */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /**
     * The predicate that also selects failures to retry ({@link Builder#retryIf}).
     *
     * @return the predicate, or null when none was set (the default)
     */
    public @Nullable Predicate<? super Throwable> retryIf() {
        return retryIf;
    }

    /**
     * The failure types never retried, whatever else matches ({@link Builder#abortOn}); empty by default.
     *
     * @return the types, unmodifiable
     */
    public List<Class<? extends Throwable>> abortOn() {
        return abortOn;
    }

    /**
     * Whether rejections (breaker open, bulkhead full) are retried ({@link Builder#retryRejections}).
     *
     * @return true when they are; false by default
     */
    public boolean retryRejections() {
        return retryRejections;
    }

    /**
     * The predicate on successful results that asks for another attempt ({@link Builder#retryOnResult}).
     *
     * @return the predicate, or null when results are never retried (the default)
     */
    public @Nullable Predicate<?> retryOnResult() {
        return retryOnResult;
    }

    /**
     * The function that computes the delay from the failed attempt ({@link Builder#delayFrom}).
     *
     * @return the function, or null when the {@link #backoff()} alone decides (the default)
     */
    public @Nullable Function<? super RetryAttempt, Duration> delayFrom() {
        return delayFrom;
    }

    /**
     * The budget that caps retries to a share of recent calls ({@link Builder#budget}).
     *
     * @return the budget, or null when there is none (the default)
     */
    public @Nullable RetryBudget budget() {
        return budget;
    }

    /**
     * The clock {@code maxDuration} is measured with.
     *
     * @return the clock; {@link Clock#system()} by default
     */
    public Clock clock() {
        return clock;
    }

    /**
     * How blocking calls wait between attempts.
     *
     * @return the sleeper; {@link Sleeper#system()} by default
     */
    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Where asynchronous calls wait between attempts.
     *
     * @return the scheduler; {@link Scheduler#defaultScheduler()} by default
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Adds a listener; it receives the events of calls that start afterwards.
     *
     * @param listener called for each event, on the thread that saw it; keep it fast and thread-safe
     */
    public void addListener(PolicyListener<? super RetryEvent> listener) {
        listeners.add(listener);
    }

    /**
     * True when this retry would retry {@code failure} (ignoring attempts, time and budget): the
     * {@code retryOn}/{@code retryIf}/{@code abortOn}/rejection rules described on the class.
     *
     * @param failure a failure of an attempt
     * @return true when it would be retried
     */
    public boolean isRetryable(Throwable failure) {
        if (failure instanceof InterruptedException || Exceptions.isInstanceOfAny(abortOn, failure)) {
            return false;
        }
        boolean rejection = failure instanceof ResilienceException && ((ResilienceException) failure).isRejection();
        if (rejection && !retryRejections) {
            for (Class<? extends Throwable> type : retryOn) {
                if (ResilienceException.class.isAssignableFrom(type) && type.isInstance(failure)) {
                    return true;
                }
            }
            return false;
        }
        if (retryOn.isEmpty() && retryIf == null) {
            return failure instanceof Exception;
        }
        return Exceptions.isInstanceOfAny(retryOn, failure) || (retryIf != null && retryIf.test(failure));
    }


    @Override
    <T> T execute(Callable<T> work, Step next) throws Exception {
        return execute(work, next, null);
    }

    /**
     * Runs the work under this retry, the blocking way. {@code given} is the call's state when the work
     * needs it from the first attempt on; otherwise (null) it is created on the first failure, so a call
     * that succeeds at once allocates nothing.
     */
    private <T> T execute(Callable<T> work, Step next, @Nullable Attempts given) throws Exception {
        if (budget != null) {
            budget.recordCall();
        }
        // the first attempt's duration counts when judging whether another one can finish in time, so
        // its start is read before it runs (only when there is a limit to judge against)
        Deadline deadline = given == null ? Deadline.current() : given.deadline;
        long start = given == null && maxDurationNanos > 0 ? clock.nanoTime() : 0;
        long remainingAtStart = given == null && deadline != null ? deadline.remainingNanos() : 0;
        T result;
        try {
            result = next.call(work);
        } catch (Throwable failure) {
            Attempts attempts = given != null ? given : new Attempts(start, deadline, remainingAtStart);
            return retrying(work, next, attempts, null, failure);
        }
        if (rejects(result)) {
            Attempts attempts = given != null ? given : new Attempts(start, deadline, remainingAtStart);
            return retrying(work, next, attempts, result, null);
        }
        if (!listeners.isEmpty()) {
            listeners.publish(firstAttemptSuccess);
        }
        return result;
    }

    /**
     * Runs {@code work}, which receives the current {@link RetryAttempt} (its number, the previous
     * attempt's failure, the time left), under this retry. Otherwise as {@link #call(Callable)}; an
     * enclosing {@link Timeout} that wraps this call (blocking) is seen as usual.
     *
     * @param work the work, given the current attempt
     * @param <T> the result type
     * @return what the last attempt returned
     * @throws Exception what the last attempt threw, as {@link #call(Callable)}
     */
    public <T> T callWithAttempt(AttemptCallable<T> work) throws Exception {
        Objects.requireNonNull(work, "work");
        Attempts attempts = newAttempts(Deadline.current());
        return execute(() -> work.call(attempts), Step.WORK, attempts);
    }

    /**
     * Runs asynchronous {@code work}, which receives the current {@link RetryAttempt}, under this retry.
     * Otherwise as {@link #callAsync(Supplier)}; never throws.
     *
     * @param work the work, given the current attempt
     * @param <T> the result type
     * @return a stage with the last attempt's result or failure
     */
    public <T> CompletionStage<T> callAsyncWithAttempt(Function<? super RetryAttempt, ? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        if (budget != null) {
            budget.recordCall();
        }
        AsyncAttempts<T> attempts = new AsyncAttempts<>(work, AsyncStep.WORK, null);
        attempts.run();
        return attempts.result;
    }

    private Attempts newAttempts(@Nullable Deadline deadline) {
        return new Attempts(maxDurationNanos > 0 ? clock.nanoTime() : 0, deadline,
                deadline == null ? 0 : deadline.remainingNanos());
    }

    /** The slow path, after the first attempt failed or returned a result to retry. */
    private <T> T retrying(Callable<T> work, Step next, Attempts attempts, @Nullable T lastResult, @Nullable Throwable lastFailure)
            throws Exception {
        @Nullable T result = lastResult;
        @Nullable Throwable failure = lastFailure;
        while (true) {
            long delay = attempts.next(failure, result, true);
            if (delay < 0) {
                return attempts.finish(result, failure);
            }
            try {
                sleeper.sleep(Duration.ofNanos(delay));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                attempts.publish(RetryEvent.Type.INTERRUPTED, failure);
                return attempts.finish(result, failure);
            }
            attempts.starting();
            try {
                result = next.call(work);
                failure = null;
            } catch (Throwable t) {
                result = null;
                failure = t;
            }
            if (failure == null && !rejects(result)) {
                attempts.publish(RetryEvent.Type.SUCCESS, null);
                return Results.passThrough(result);
            }
        }
    }

    /** True when the result predicate asks to retry {@code result}. */
    private boolean rejects(@Nullable Object result) {
        return retryOnResult != null && retryOnResult.test(result);
    }

    @Override
    <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline deadline) {
        if (budget != null) {
            budget.recordCall();
        }
        AsyncAttempts<T> attempts = new AsyncAttempts<>(work, next, deadline);
        attempts.run();
        return attempts.result;
    }

    /** The state of one call from its first failure on: attempt count, timing, earlier failures. */
    private class Attempts implements RetryAttempt {
        /** When the call started, on this retry's clock (read only with a maximum duration). */
        final long start;
        /** The enclosing timeout's deadline, or null. */
        final @Nullable Deadline deadline;
        int attempt = 1;
        long previousDelay;
        /** When the current attempt started, on this retry's clock (with a maximum duration). */
        long attemptStart;
        /** The deadline's time left when the current attempt started (with a deadline). */
        long attemptStartRemaining;
        /** The longest attempt so far, on this retry's clock and on the deadline's clock. */
        long longestAttempt;
        long longestAttemptOnDeadline;
        /** The latest completed attempt's failure, or its result when that is retried. */
        @Nullable Throwable lastFailure;
        @Nullable Object lastResult;
        @Nullable ArrayDeque<Throwable> earlier;

        Attempts(long start, @Nullable Deadline deadline, long remainingAtStart) {
            this.start = start;
            this.deadline = deadline;
            this.attemptStart = start;
            this.attemptStartRemaining = remainingAtStart;
        }

        /**
         * Decides after attempt {@link #attempt} failed with {@code failure} (or, when null, returned a
         * result the predicate rejects): the delay before the next attempt, or -1 after publishing why the
         * call ends now. The next attempt is expected to take as long as the longest one so far; it starts
         * only if, after the delay, it would end before {@code maxDuration} and before the deadline.
         */
        long next(@Nullable Throwable failure, @Nullable Object result, boolean blocking) {
            lastFailure = failure;
            lastResult = failure == null ? result : null;
            if (failure != null && !isRetryable(failure)) {
                publish(RetryEvent.Type.NOT_RETRYABLE, failure);
                return -1;
            }
            if (blocking && Thread.currentThread().isInterrupted()) {
                publish(RetryEvent.Type.INTERRUPTED, failure);
                return -1;
            }
            if (attempt >= maxAttempts) {
                publish(RetryEvent.Type.EXHAUSTED, failure);
                return -1;
            }
            long delay = delay();
            if (maxDurationNanos > 0) {
                long now = clock.nanoTime();
                longestAttempt = Math.max(longestAttempt, now - attemptStart);
                long expectedEnd = Deadline.saturatedAdd(now - start, Deadline.saturatedAdd(delay, longestAttempt));
                if (expectedEnd >= maxDurationNanos) {
                    publish(RetryEvent.Type.EXHAUSTED, failure);
                    return -1;
                }
            }
            if (deadline != null) {
                long remaining = deadline.remainingNanos();
                longestAttemptOnDeadline = Math.max(longestAttemptOnDeadline, attemptStartRemaining - remaining);
                if (Deadline.saturatedAdd(delay, longestAttemptOnDeadline) >= remaining) {
                    publish(RetryEvent.Type.EXHAUSTED, failure);
                    return -1;
                }
            }
            if (budget != null && !budget.tryAcquireRetry()) {
                publish(RetryEvent.Type.BUDGET_EXHAUSTED, failure);
                return -1;
            }
            LOG.debug("Retry '{}': attempt {} failed ({}), retrying in {} ms", name, attempt,
                    failure == null ? "result rejected" : failure, delay / 1_000_000);
            if (!listeners.isEmpty()) {
                listeners.publish(new RetryEvent(name, RetryEvent.Type.RETRY, attempt, Duration.ofNanos(delay), failure));
            }
            if (failure != null) {
                remember(failure);
            }
            previousDelay = delay;
            return delay;
        }

        /** The backoff's delay, or the one {@code delayFrom} gives (a negative one counting as zero). */
        private long delay() {
            Duration given = delayFrom == null ? null : delayFrom.apply(this);
            if (given == null) {
                return backoff.delayNanos(attempt, previousDelay);
            }
            return given.isNegative() ? 0 : saturatedNanos(given);
        }

        @Override
        public int number() {
            return attempt;
        }

        @Override
        public @Nullable Throwable lastFailure() {
            return lastFailure;
        }

        @Override
        public @Nullable Object lastResult() {
            return lastResult;
        }

        @Override
        public @Nullable Duration remaining() {
            long remaining = Long.MAX_VALUE;
            if (maxDurationNanos > 0) {
                remaining = maxDurationNanos - (clock.nanoTime() - start);
            }
            if (deadline != null) {
                remaining = Math.min(remaining, deadline.remainingNanos());
            }
            return remaining == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(0, remaining));
        }

        /** Called as the next attempt starts. */
        void starting() {
            attempt++;
            if (maxDurationNanos > 0) {
                attemptStart = clock.nanoTime();
            }
            if (deadline != null) {
                attemptStartRemaining = deadline.remainingNanos();
            }
        }

        void publish(RetryEvent.Type type, @Nullable Throwable failure) {
            if (type != RetryEvent.Type.SUCCESS) {
                LOG.debug("Retry '{}' gives up after attempt {}: {}", name, attempt, type);
            }
            if (!listeners.isEmpty()) {
                listeners.publish(new RetryEvent(name, type, attempt, Duration.ZERO, failure));
            }
        }

        private void remember(Throwable failure) {
            if (earlier == null) {
                earlier = new ArrayDeque<>(MAX_SUPPRESSED);
            } else if (earlier.size() == MAX_SUPPRESSED) {
                earlier.removeFirst();
            }
            earlier.addLast(failure);
        }

        /**
         * The last failure with the earlier ones suppressed in it (a rejection that ended the retrying
         * included), the most recent first to keep. Never more than {@link #MAX_SUPPRESSED} suppressed in
         * all: an exception instance the work throws again and again (a preallocated one) stops growing there.
         */
        Throwable lastFailure(Throwable failure) {
            if (earlier == null) {
                return failure;
            }
            List<Throwable> present = Arrays.asList(failure.getSuppressed());
            List<Throwable> added = new ArrayList<>(earlier.size());
            for (Throwable previous : earlier) {
                if (previous != failure && !present.contains(previous) && !added.contains(previous)) {
                    added.add(previous);
                }
            }
            int room = Math.max(0, MAX_SUPPRESSED - present.size());
            for (Throwable previous : added.subList(Math.max(0, added.size() - room), added.size())) {
                failure.addSuppressed(previous);
            }
            return failure;
        }

        <T> T finish(@Nullable T result, @Nullable Throwable failure) throws Exception {
            if (failure == null) {
                return Results.passThrough(result);
            }
            throw Exceptions.rethrow(lastFailure(failure));
        }
    }

    /** One asynchronous call: each attempt's completion decides, and the next attempt is scheduled. */
    private final class AsyncAttempts<T> extends Attempts implements Runnable {
        final Supplier<? extends CompletionStage<T>> work;
        final AsyncStep next;
        final CompletableFuture<T> result = new CompletableFuture<>();

        AsyncAttempts(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline deadline) {
            super(maxDurationNanos > 0 ? clock.nanoTime() : 0, deadline, deadline == null ? 0 : deadline.remainingNanos());
            this.work = work;
            this.next = next;
        }

        /** A call whose work receives the current attempt (callAsyncWithAttempt). */
        AsyncAttempts(Function<? super RetryAttempt, ? extends CompletionStage<T>> work, AsyncStep next,
                @Nullable Deadline deadline) {
            super(maxDurationNanos > 0 ? clock.nanoTime() : 0, deadline, deadline == null ? 0 : deadline.remainingNanos());
            this.work = () -> work.apply(this);
            this.next = next;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                return; // cancelled by the caller
            }
            next.call(work, deadline).whenComplete(this::completed);
        }

        private void completed(@Nullable T value, @Nullable Throwable thrown) {
            Throwable failure = thrown == null ? null : Throwables.unwrap(thrown);
            long delay;
            try {
                if (failure == null && !rejects(value)) {
                    publish(RetryEvent.Type.SUCCESS, null);
                    result.complete(value);
                    return;
                }
                delay = next(failure, value, false);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            if (delay < 0) {
                if (failure == null) {
                    result.complete(value);
                } else {
                    result.completeExceptionally(lastFailure(failure));
                }
                return;
            }
            try {
                scheduler.schedule(() -> {
                    starting();
                    run();
                }, Duration.ofNanos(delay));
            } catch (RuntimeException e) {
                // the scheduler is shut down or full: the caller gets the last failure, not a lost future
                result.completeExceptionally(failure == null ? e : lastFailure(failure));
            }
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /** Work that receives the current {@link RetryAttempt}; see {@link #callWithAttempt(AttemptCallable)}. */
    @FunctionalInterface
    public interface AttemptCallable<T> {
        /**
         * Runs one attempt.
         *
         * @param attempt the current attempt
         * @return the attempt's result
         * @throws Exception any failure; the retry decides whether to try again
         */
        T call(RetryAttempt attempt) throws Exception;
    }

    @Override
    public String toString() {
        return "Retry{" + name + ", " + maxAttempts + " attempts, " + backoff + "}";
    }

    /** Builds a {@link Retry}. Not thread-safe; the retry it builds is. */
    public static final class Builder {
        private final String name;
        private int maxAttempts = 3;
        private @Nullable Duration maxDuration;
        private Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)).withJitter(Jitter.FULL);
        private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
        private @Nullable Predicate<? super Throwable> retryIf;
        private final List<Class<? extends Throwable>> abortOn = new ArrayList<>();
        private boolean retryRejections;
        private @Nullable Predicate<Object> retryOnResult;
        private @Nullable Function<? super RetryAttempt, Duration> delayFrom;
        private @Nullable RetryBudget budget;
        private Clock clock = Clock.system();
        private Sleeper sleeper = Sleeper.system();
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private final List<PolicyListener<? super RetryEvent>> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = Arguments.name(name);
        }

        /**
         * Attempts in all, the first included; at least 1 (1 means no retry). Default 3.
         *
         * @param maxAttempts the attempts, at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Arguments.atLeast("maxAttempts", maxAttempts, 1);
            return this;
        }

        /**
         * The longest the whole call should take: no retry starts whose backoff plus the longest attempt so
         * far would end at or past it, counted from the start of the call. It does not stop a running
         * attempt (see the class comment for the exact bound); use a {@link Timeout} around the retry for that.
         *
         * @param maxDuration positive
         * @return this builder
         */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = Arguments.positive("maxDuration", maxDuration);
            return this;
        }

        /**
         * The wait before each retry. Default exponential from 100 ms doubling up to 5 s, full jitter.
         *
         * @param backoff the backoff
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Retries failures of these types (and subtypes); once set, other failures are not retried.
         *
         * @param types the failure types, subtypes included
         * @return this builder
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            Exceptions.addTypes(retryOn, "retryOn", types);
            return this;
        }

        /**
         * Retries failures this predicate accepts (in addition to {@link #retryOn(Class[])} types).
         *
         * @param predicate tested with each failure; must be thread-safe
         * @return this builder
         */
        public Builder retryIf(Predicate<? super Throwable> predicate) {
            this.retryIf = Objects.requireNonNull(predicate, "retryIf");
            return this;
        }

        /**
         * Never retries failures of these types, whatever else matches.
         *
         * @param types the failure types, subtypes included
         * @return this builder
         */
        @SafeVarargs
        public final Builder abortOn(Class<? extends Throwable>... types) {
            Exceptions.addTypes(abortOn, "abortOn", types);
            return this;
        }

        /**
         * Also retries rejections (breaker open, bulkhead full), which are not retried by default.
         *
         * @param retryRejections true to retry them
         * @return this builder
         */
        public Builder retryRejections(boolean retryRejections) {
            this.retryRejections = retryRejections;
            return this;
        }

        /**
         * Retries when a successful attempt's result matches (for example an empty or "busy" answer);
         * when attempts run out the last result is returned.
         *
         * @param predicate tested with each result (possibly null); must be thread-safe
         * @return this builder
         */
        @SuppressWarnings("unchecked")
        public Builder retryOnResult(Predicate<?> predicate) {
            this.retryOnResult = (Predicate<Object>) Objects.requireNonNull(predicate, "retryOnResult");
            return this;
        }

        /**
         * Computes the wait before each retry from the attempt that failed (its failure, its retried result,
         * its number, the time left), for example a server's {@code Retry-After}; returning null uses the
         * {@link #backoff(Backoff) backoff}, a negative duration counts as zero. The same time rules apply as
         * to a backoff: no retry starts whose wait plus the longest attempt so far would end past
         * {@code maxDuration} or an enclosing timeout's deadline, so a {@code Retry-After} longer than the
         * time left ends the call at once with the last failure.
         *
         * @param delay returns the wait, or null for the backoff's; must be thread-safe
         * @return this builder
         */
        public Builder delayFrom(Function<? super RetryAttempt, Duration> delay) {
            this.delayFrom = Objects.requireNonNull(delay, "delayFrom");
            return this;
        }

        /**
         * A budget, possibly shared with other retries, that caps retries to a share of recent calls.
         *
         * @param budget the budget
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * The clock for {@code maxDuration}; {@link Clock#system()} by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How blocking calls wait between attempts; {@link Sleeper#system()} by default.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Where asynchronous calls wait between attempts; {@link Scheduler#defaultScheduler()} by default.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Adds a listener for the retry's events.
         *
         * @param listener called for each event, on the thread that saw it; keep it fast
         * @return this builder
         */
        public Builder listener(PolicyListener<? super RetryEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the retry.
         *
         * @return the retry
         */
        public Retry build() {
            return new Retry(this);
        }
    }
}
