package dev.resilience.queue;

import java.time.Duration;

/**
 * Told about every attempt a {@link TaskQueue}'s workers finish (for metrics and logs). Called on worker
 * threads, concurrently; must be quick and must not throw (what it throws is logged and ignored).
 */
@FunctionalInterface
public interface QueueListener {

    /**
     * Called on the worker thread after each attempt; must be quick and must not throw.
     *
     * @param type     the task's type
     * @param outcome  how the attempt ended
     * @param duration how long the handler ran
     */
    void onAttempt(String type, AttemptOutcome outcome, Duration duration);
}
