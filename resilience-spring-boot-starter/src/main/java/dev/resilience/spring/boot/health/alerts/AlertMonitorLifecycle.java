package dev.resilience.spring.boot.health.alerts;

import dev.resilience.health.AlertMonitor;
import dev.resilience.spring.boot.PhasedLifecycle;
import dev.resilience.spring.boot.health.ReadinessShutdownLifecycle;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;

/**
 * Starts the {@link AlertMonitor} with the context and closes it when the context closes, at {@link #PHASE}:
 * below Boot's web server phases, so alerts keep being evaluated and delivered while the server drains
 * ({@link ReadinessShutdownLifecycle} explains the order). Thread-safe.
 */
public final class AlertMonitorLifecycle extends PhasedLifecycle {
    /** Below the web server's start-stop phase (Boot's graceful shutdown phase - 1024). */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 2048;

    private final AlertMonitor monitor;

    /**
     * @param monitor the monitor to start and close
     */
    public AlertMonitorLifecycle(AlertMonitor monitor) {
        super(PHASE);
        this.monitor = monitor;
    }

    @Override
    protected void onStart() {
        monitor.start();
    }

    @Override
    protected void onStop() {
        monitor.close();
    }
}
