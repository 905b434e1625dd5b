package dev.resilience.core;

import dev.resilience.core.internal.Arguments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Limits how many calls run at once, so one slow dependency cannot take every thread (or connection) of
 * the service.
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.builder("reports").maxConcurrentCalls(8).maxWait(Duration.ofMillis(100)).build();
 * Report report = bulkhead.call(() -> reports.render(id));   // BulkheadFullException when 8 are running
 * }</pre>
 *
 * <p>A blocking call waits up to {@code maxWait} for a slot (parking, so virtual threads unmount), never
 * past the deadline of an enclosing {@link Timeout}, then is rejected with a cheap
 * {@link BulkheadFullException}. An asynchronous call never waits: it takes a slot
 * or is rejected at once, and holds the slot until its stage completes. A thread interrupted while
 * waiting keeps its interrupt flag and gets a {@link ResilienceException} whose cause is the
 * {@link InterruptedException}.
 *
 * <p>Defaults: 25 concurrent calls, no wait. Immutable and thread-safe.
 */
public final class Bulkhead extends ComposablePolicy {

    private final String name;
    private final int maxConcurrentCalls;
    private final long maxWaitNanos;
    private final Semaphore slots;
    private final Listeners<BulkheadEvent> listeners;
    /** One immutable event per type, so publishing allocates nothing. */
    private final BulkheadEvent[] events;

    private Bulkhead(Builder builder) {
        this.name = builder.name;
        this.maxConcurrentCalls = builder.maxConcurrentCalls;
        this.maxWaitNanos = builder.maxWait.toNanos();
        this.slots = new Semaphore(maxConcurrentCalls, true);
        this.listeners = new Listeners<>(builder.listeners);
        this.events = new BulkheadEvent[BulkheadEvent.Type.values().length];
        for (BulkheadEvent.Type type : BulkheadEvent.Type.values()) {
            events[type.ordinal()] = new BulkheadEvent(name, type);
        }
    }

    /**
     * A bulkhead with the defaults: 25 concurrent calls, no wait.
     *
     * @param name the name, not blank
     * @return the bulkhead
     */
    public static Bulkhead ofDefaults(String name) {
        return builder(name).build();
    }

    /**
     * A builder for a bulkhead called {@code name}: 25 concurrent calls and no wait unless set.
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

    /** {@return how long a blocking call waits for a slot before it is rejected; zero rejects at once} */
    public Duration maxWait() {
        return Duration.ofNanos(maxWaitNanos);
    }

    /** {@return how many calls may run at once (default 25)} */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** {@return slots free right now} */
    public int availableCalls() {
        return slots.availablePermits();
    }

    /**
     * Adds a listener; it receives the events that happen afterwards.
     *
     * @param listener called for each event, on the thread that saw it; keep it fast and thread-safe
     */
    public void addListener(PolicyListener<? super BulkheadEvent> listener) {
        listeners.add(listener);
    }

    @Override
    <T> T execute(Callable<T> work, Step next) throws Exception {
        acquire();
        try {
            return next.call(work);
        } finally {
            release();
        }
    }

    @Override
    <T> CompletionStage<T> executeAsync(Supplier<? extends CompletionStage<T>> work, AsyncStep next, @Nullable Deadline deadline) {
        if (!slots.tryAcquire()) {
            publish(BulkheadEvent.Type.REJECTED);
            return CompletableFuture.failedFuture(new BulkheadFullException(name, maxConcurrentCalls));
        }
        publish(BulkheadEvent.Type.PERMITTED);
        return relay(next.call(work, deadline), (value, failure) -> release());
    }

    private void acquire() {
        boolean acquired;
        if (slots.tryAcquire()) {
            acquired = true;
        } else if (maxWaitNanos == 0) {
            acquired = false;
        } else {
            Deadline deadline = Deadline.current();
            long wait = deadline == null ? maxWaitNanos : Math.min(maxWaitNanos, deadline.remainingNanos());
            try {
                acquired = wait > 0 && slots.tryAcquire(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ResilienceException("Interrupted while waiting for bulkhead '" + name + "'", e);
            }
        }
        if (!acquired) {
            publish(BulkheadEvent.Type.REJECTED);
            throw new BulkheadFullException(name, maxConcurrentCalls);
        }
        publish(BulkheadEvent.Type.PERMITTED);
    }

    private void release() {
        slots.release();
        publish(BulkheadEvent.Type.FINISHED);
    }

    private void publish(BulkheadEvent.Type type) {
        if (!listeners.isEmpty()) {
            listeners.publish(events[type.ordinal()]);
        }
    }

    @Override
    public String toString() {
        return "Bulkhead{" + name + ", " + maxConcurrentCalls + " calls, " + availableCalls() + " free}";
    }

    /** Builds a {@link Bulkhead}. Not thread-safe; the bulkhead it builds is. */
    public static final class Builder {
        private final String name;
        private int maxConcurrentCalls = 25;
        private Duration maxWait = Duration.ZERO;
        private final List<PolicyListener<? super BulkheadEvent>> listeners = new ArrayList<>();

        private Builder(String name) {
            this.name = Arguments.name(name);
        }

        /**
         * Calls that may run at once (at least 1). Default 25.
         *
         * @param calls the limit, at least 1
         * @return this builder
         */
        public Builder maxConcurrentCalls(int calls) {
            this.maxConcurrentCalls = Arguments.atLeast("maxConcurrentCalls", calls, 1);
            return this;
        }

        /**
         * How long a blocking call waits for a slot (zero or more). Default zero: reject at once.
         *
         * @param maxWait zero or more
         * @return this builder
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Arguments.notNegative("maxWait", maxWait);
            return this;
        }

        /**
         * Adds a listener for the bulkhead's events.
         *
         * @param listener called on the calling thread for each event; keep it fast
         * @return this builder
         */
        public Builder listener(PolicyListener<? super BulkheadEvent> listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the bulkhead.
         *
         * @return the bulkhead
         */
        public Bulkhead build() {
            return new Bulkhead(this);
        }
    }
}
