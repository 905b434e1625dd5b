package dev.resilience.core;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay without blocking the caller. Asynchronous policies (async retry backoff,
 * async timeouts) schedule through a {@code Scheduler}; tests pass
 * {@code dev.resilience.testkit.ManualScheduler}, which runs due tasks when its clock is advanced.
 *
 * <p>Scheduled tasks must be short: they complete futures or start the next attempt, they do not
 * block. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Scheduler {

    /**
     * Schedules {@code task} to run once after {@code delay}.
     *
     * @param task what to run, on a thread of the scheduler
     * @param delay how long from now; zero or negative runs it as soon as possible
     * @return a future that cancels the task when cancelled before it ran
     */
    Future<?> schedule(Runnable task, Duration delay);

    /**
     * A scheduler backed by the given executor, which the caller owns and shuts down.
     *
     * @param executor the executor
     * @return the scheduler
     */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return (task, delay) -> executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * {@return the library's shared scheduler: one daemon thread, created on first use, that only hands work
     * on (it never runs user code that blocks for long)}
     */
    static Scheduler defaultScheduler() {
        return SystemTime.INSTANCE;
    }
}
