package dev.resilience.spring.boot;

import org.springframework.context.SmartLifecycle;

/**
 * The one shape of the starter's {@link SmartLifecycle} beans: a fixed phase, {@link #onStart()} when the
 * context has been refreshed and {@link #onStop()} when it closes (highest phase first). The bean reports
 * running once {@code onStart} has returned and stops reporting it once {@code onStop} has ended, even when
 * it threw. Thread-safe when the two hooks are.
 */
public abstract class PhasedLifecycle implements SmartLifecycle {

    private final int phase;
    private volatile boolean running;

    /**
     * A lifecycle in the given phase.
     *
     * @param phase where it starts and stops: lower starts earlier and stops later
     */
    protected PhasedLifecycle(int phase) {
        this.phase = phase;
    }

    /** What starting does. */
    protected abstract void onStart();

    /** What stopping does; it returns when the work is stopped (the context waits for it). */
    protected abstract void onStop();

    @Override
    public final void start() {
        onStart();
        running = true;
    }

    @Override
    public final void stop() {
        try {
            onStop();
        } finally {
            running = false;
        }
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
