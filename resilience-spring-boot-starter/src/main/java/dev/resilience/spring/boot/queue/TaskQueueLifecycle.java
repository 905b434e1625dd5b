package dev.resilience.spring.boot.queue;

import dev.resilience.queue.TaskQueue;
import dev.resilience.spring.boot.PhasedLifecycle;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;

/**
 * Starts the {@link TaskQueue} with the context and closes it when the context closes, at {@link #PHASE}:
 * below Boot's web server phases, so tasks keep running while the server drains, and, like every lifecycle,
 * before Spring destroys the beans, so the queue stops (running handlers finish within its shutdown timeout,
 * claimed tasks are given back) while the DataSource it takes connections from is still open. A queue
 * without handlers (a process that only enqueues) is only migrated. Thread-safe.
 */
public final class TaskQueueLifecycle extends PhasedLifecycle {
    /** Below the web server's start-stop phase, the alert monitor's phase. */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

    private final TaskQueue queue;

    /**
     * A lifecycle for one queue.
     *
     * @param queue the queue to start (or only migrate, when it has no handler) and close
     */
    public TaskQueueLifecycle(TaskQueue queue) {
        super(PHASE);
        this.queue = queue;
    }

    @Override
    protected void onStart() {
        if (queue.types().isEmpty()) {
            queue.migrate();
        } else {
            queue.start();
        }
    }

    @Override
    protected void onStop() {
        queue.close();
    }
}
