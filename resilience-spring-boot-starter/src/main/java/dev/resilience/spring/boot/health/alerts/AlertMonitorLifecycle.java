package dev.resilience.spring.boot.health.alerts;

import dev.resilience.health.AlertMonitor;
import dev.resilience.spring.boot.health.ReadinessShutdownLifecycle;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link AlertMonitor} with the context and closes it when the context closes, at {@link #PHASE}:
 * below Boot's web server phases, so alerts keep being evaluated and delivered while the server drains
 * ({@link ReadinessShutdownLifecycle} explains the order). Thread-safe.
 */
public final class AlertMonitorLifecycle implements SmartLifecycle {
    /** Below the web server's start-stop phase (Boot's graceful shutdown phase - 1024). */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

    private final AlertMonitor monitor;
    private volatile boolean running;

    /**
     * @param monitor the monitor to start and close
     */
    public AlertMonitorLifecycle(AlertMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public void start() {
        monitor.start();
        running = true;
    }

    @Override
    public void stop() {
        monitor.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
