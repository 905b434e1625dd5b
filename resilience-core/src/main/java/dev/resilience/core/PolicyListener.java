package dev.resilience.core;

/**
 * Receives the events of one policy: {@link RetryEvent}, {@link CircuitBreakerEvent},
 * {@link TimeoutEvent}, {@link BulkheadEvent} or {@link FallbackEvent}.
 *
 * <p>Listeners run synchronously on the thread that produced the event (the caller's thread, or the
 * scheduler thread for asynchronous work), so they must be fast and must not block. An exception thrown
 * by a listener is logged and otherwise ignored; it never changes the outcome of the call. Listeners
 * must be thread-safe. Events are immutable and may be shared between calls (do not rely on identity).
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface PolicyListener<E> {

    /**
     * Called once per event.
     *
     * @param event the event
     */
    void onEvent(E event);
}
