package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import dev.resilience.core.internal.Results;
import dev.resilience.core.internal.Throwables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds how long work may take.
 *
 * <pre>{@code
 * Timeout timeout = Timeout.of(Duration.ofSeconds(2));
 * String page = timeout.call(() -> http.fetch(url));                     // blocking
 * CompletionStage<String> later = timeout.callAsync(() -> http.fetchAsync(url));
 * }</pre>
 *
 * <p>Blocking work runs on the calling thread; at the deadline a task on the {@link Scheduler} interrupts
 * that thread, and the call throws {@link TimeoutExceededException} (with what the interrupted work threw
 * as its cause) once the work returns. No thread is started per call, so it is safe on virtual threads.
 * Work that ignores interrupts is not stopped, only reported late. The interrupt is cleared before the
 * call returns, so it can never leak into the caller's next operation.
 *
 * <p>Asynchronous work: the returned stage completes exceptionally with {@link TimeoutExceededException}
 * at the deadline; the work's own stage is left alone unless {@link Builder#cancelOnTimeout(boolean)} is
 * set, in which case it is cancelled (a {@link CompletableFuture} from {@code HttpClient.sendAsync}, for
 * example, then aborts its exchange).
 *
 * <p>Deadline propagation: while a blocking call runs, its deadline is visible to the policies inside it
 * (asynchronous calls pass it along a {@link Resilience} chain), so an inner {@link Retry} starts no
 * attempt or backoff that cannot finish in time. Nested timeouts keep the earlier deadline.
 *
 * <p>Defaults: name "timeout", the {@link Scheduler#defaultScheduler() default scheduler}, the system
 * clock, asynchronous work not cancelled. Immutable and thread-safe.
 */
public final class Timeout extends ComposablePolicy {

    private final String name;
    private final Duration duration;
    private final long durationNanos;
    private final Scheduler scheduler;
    private final Clock clock;
    private final boolean cancelOnTimeout;
    private final Listeners<TimeoutEvent> listeners;

    private Timeout(Builder builder, Duration duration) {
        this.name = builder.name;
        this.duration = duration;
        this.durationNanos = duration.toNanos();
        this.scheduler = builder.scheduler;
        this.clock = builder.clock;
        this.cancelOnTimeout = builder.cancelOnTimeout;
        this.listeners = new Listeners<>(builder.listeners);
    }

    /**
     * A timeout called "timeout" of {@code duration} with the default scheduler.
     *
     * @param duration positive
     * @return the timeout
     * @throws IllegalArgumentException if {@code duration} is not positive
     */
    public static Timeout of(Duration duration) {
        return builder("timeout").duration(duration).build();
    }

    /**
     * A builder for a timeout called {@code name}; {@link Builder#duration(Duration)} is required.
     *
     * @param name the name, not blank
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * {@return the name given to the builder, used in events, metrics and messages; {@code "timeout"} from {@link #of}}
     */
    public String name() {
        return name;
    }

    /** {@return the longest the work may take} */
    public Duration duration() {
        return duration;
    }

    /**
     * Where the deadline task runs.
     *
     * @return the scheduler; {@link Scheduler#defaultScheduler()} by default
     */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The clock of the deadline inner policies see.
     *
     * @return the clock; {@link Clock#system()} by default
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Whether asynchronous work's own stage is cancelled at the deadline ({@link Builder#cancelOnTimeout}).
     *
     * @return true when it is; false by default
     */
    public boolean cancelOnTimeout() {
        return cancelOnTimeout;
    }

    /**
     * Adds a listener; it receives the events of calls that start afterwards.
     *
     * @param listener called for each event, on the thread that saw it; keep it fast and thread-safe
     */
    public void addListener(PolicyListener<? super TimeoutEvent> listener) {
        listeners.add(listener);
    }

    @Override
    <T> T execute(Callable<T> work, Step next) throws Exception {
        Deadline deadline = Deadline.after(clock, durationNanos, Deadline.current());
        long remaining = deadline.remainingNanos();
        long start = clock.nanoTime();
        if (remaining <= 0) {
            publish(TimeoutEvent.Type.TIMEOUT, 0, null);
            throw new TimeoutExceededException(name, duration, null);
        }
        Interrupter interrupter = new Interrupter(Thread.currentThread());
        Future<?> timer = scheduler.schedule(interrupter, Duration.ofNanos(remaining));
        Deadline previous = Deadline.enter(deadline);
        @Nullable T result = null;
        @Nullable Throwable failure = null;
        try {
            result = next.call(work);
        } catch (Throwable t) {
            failure = t;
        } finally {
            Deadline.restore(previous);
        }
        boolean inTime = interrupter.finish();
        long took = clock.nanoTime() - start;
        if (!inTime) {
            publish(TimeoutEvent.Type.TIMEOUT, took, null);
            throw new TimeoutExceededException(name, duration, failure);
        }
        timer.cancel(false);
        if (failure != null) {
            publish(TimeoutEvent.Type.FAILURE, took, failure);
            throw Exceptions.rethrow(failure);
        }
        publish(TimeoutEvent.Type.SUCCESS, took, null);
        return Results.passThrough(result);
    }

    @Override
    <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline outer) {
        Deadline deadline = Deadline.after(clock, durationNanos, outer);
        long remaining = deadline.remainingNanos();
        long start = clock.nanoTime();
        if (remaining <= 0) {
            publish(TimeoutEvent.Type.TIMEOUT, 0, null);
            return CompletableFuture.failedFuture(new TimeoutExceededException(name, duration, null));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletionStage<T> stage = next.call(work, deadline);
        Future<?> timer = scheduler.schedule(() -> {
            if (result.completeExceptionally(new TimeoutExceededException(name, duration, null))) {
                publish(TimeoutEvent.Type.TIMEOUT, clock.nanoTime() - start, null);
                if (cancelOnTimeout) {
                    cancel(stage);
                }
            }
        }, Duration.ofNanos(remaining));
        stage.whenComplete((value, thrown) -> {
            timer.cancel(false);
            Throwable failure = thrown == null ? null : Throwables.unwrap(thrown);
            boolean first = failure == null ? result.complete(value) : result.completeExceptionally(failure);
            if (first) {
                publish(failure == null ? TimeoutEvent.Type.SUCCESS : TimeoutEvent.Type.FAILURE,
                        clock.nanoTime() - start, failure);
            }
        });
        return result;
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException e) {
            // a stage that cannot be turned into a future cannot be cancelled either
        }
    }

    private void publish(TimeoutEvent.Type type, long durationNanos, @Nullable Throwable cause) {
        if (!listeners.isEmpty()) {
            listeners.publish(new TimeoutEvent(name, type, durationNanos, cause));
        }
    }

    @Override
    public String toString() {
        return "Timeout{" + name + ", " + duration + "}";
    }

    /**
     * Interrupts the caller at the deadline unless the call finished first. The states make sure the
     * caller, on finishing, either won the race (no interrupt will come) or waits until the interrupt has
     * landed and clears it.
     */
    private static final class Interrupter extends AtomicInteger implements Runnable {
        private static final long serialVersionUID = 1L;
        private static final int RUNNING = 0;
        private static final int INTERRUPTING = 1;
        private static final int INTERRUPTED = 2;
        private static final int FINISHED = 3;

        private final transient Thread thread;

        Interrupter(Thread thread) {
            this.thread = thread;
        }

        @Override
        public void run() {
            if (compareAndSet(RUNNING, INTERRUPTING)) {
                thread.interrupt();
                set(INTERRUPTED);
            }
        }

        /** @return true when the call finished in time; false when it was interrupted (flag now cleared) */
        boolean finish() {
            if (compareAndSet(RUNNING, FINISHED)) {
                return true;
            }
            while (get() != INTERRUPTED) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return false;
        }
    }

    /** Builds a {@link Timeout}. Not thread-safe; the timeout it builds is. */
    public static final class Builder {
        private final String name;
        private @Nullable Duration duration;
        private Scheduler scheduler = Scheduler.defaultScheduler();
        private Clock clock = Clock.system();
        private boolean cancelOnTimeout;
        private final List<PolicyListener<? super TimeoutEvent>> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = Arguments.name(name);
        }

        /**
         * The longest the work may take. Required.
         *
         * @param duration positive
         * @return this builder
         */
        public Builder duration(Duration duration) {
            this.duration = Arguments.positive("duration", duration);
            return this;
        }

        /**
         * Where the deadline task runs; {@link Scheduler#defaultScheduler()} by default.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * The clock for the deadline seen by inner policies; {@link Clock#system()} by default.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Whether asynchronous work's own stage is cancelled at the deadline. Default false.
         *
         * @param cancelOnTimeout true to cancel it
         * @return this builder
         */
        public Builder cancelOnTimeout(boolean cancelOnTimeout) {
            this.cancelOnTimeout = cancelOnTimeout;
            return this;
        }

        /**
         * Adds a listener for the timeout's events.
         *
         * @param listener called for each event, on the thread that saw it; keep it fast
         * @return this builder
         */
        public Builder listener(PolicyListener<? super TimeoutEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * @return the timeout
         * @throws IllegalArgumentException if no duration was set
         *
         */
        public Timeout build() {
            Duration required = duration;
            if (required == null) {
                throw new IllegalArgumentException("duration must be set, was null");
            }
            return new Timeout(this, required);
        }
    }
}
