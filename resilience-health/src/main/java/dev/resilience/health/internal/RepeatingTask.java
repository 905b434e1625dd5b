package dev.resilience.health.internal;

import dev.resilience.core.Scheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Runs a task every interval on a {@link Scheduler}, handing each run to an executor so that the
 * scheduler's thread only hands work on. The next run is scheduled when the previous one ends, so
 * runs never overlap. Thread-safe; start and stop are idempotent.
 */
public final class RepeatingTask {

    private final Scheduler scheduler;
    private final Executor executor;
    private final Duration interval;
    private final Runnable body;
    private final AtomicBoolean running = new AtomicBoolean();
    /** The scheduled next run; null before the first is scheduled. */
    private volatile @Nullable Future<?> next;

    public RepeatingTask(Scheduler scheduler, Executor executor, Duration interval, Runnable body) {
        this.scheduler = scheduler;
        this.executor = executor;
        this.interval = interval;
        this.body = body;
    }

    /** Starts the repetition: the first run happens now on the calling thread, or after one interval. */
    public void start(boolean runNow) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        if (runNow) {
            tick();
        } else {
            scheduleNext();
        }
    }

    private void tick() {
        try {
            if (running.get()) {
                body.run();
            }
        } finally {
            scheduleNext();
        }
    }

    private void scheduleNext() {
        if (running.get()) {
            next = scheduler.schedule(() -> executor.execute(this::tick), interval);
        }
    }

    /** Stops the repetition; a run under way finishes. */
    public void stop() {
        running.set(false);
        Future<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
