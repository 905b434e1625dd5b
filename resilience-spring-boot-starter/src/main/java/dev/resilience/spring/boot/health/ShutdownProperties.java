package dev.resilience.spring.boot.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code resilience.shutdown.*}: how the service leaves readiness when the context closes. */
@ConfigurationProperties("resilience.shutdown")
public class ShutdownProperties {
    /** Whether readiness goes down (resilience OUT_OF_SERVICE, REFUSING_TRAFFIC) before the web server drains. */
    private boolean enabled = true;

    /**
     * How long the server keeps serving after readiness went down, before its graceful shutdown stops accepting
     * requests, so that load balancers probing readiness notice. 0 (the default) suits Kubernetes with a
     * preStop hook and keeps test contexts quick to close; 5s suits balancers probing every few seconds.
     */
    private Duration drainDelay = Duration.ZERO;

    /**
     * @return whether readiness goes down (resilience OUT_OF_SERVICE, REFUSING_TRAFFIC) before the web server drains
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether readiness goes down (resilience OUT_OF_SERVICE, REFUSING_TRAFFIC) before the web server
     * drains
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return how long the server keeps serving after readiness went down, before its graceful shutdown stops accepting
     * requests, so that load balancers probing readiness notice. 0 (the default) suits Kubernetes with a preStop hook
     *    and keeps test contexts quick to close; 5s suits balancers probing every few seconds
     */
    public Duration getDrainDelay() {
        return drainDelay;
    }

    /**
     * @param drainDelay how long the server keeps serving after readiness went down, before its graceful shutdown stops
     * accepting requests, so that load balancers probing readiness notice. 0 (the default) suits Kubernetes with a
     *    preStop hook and keeps test contexts quick to close; 5s suits balancers probing every few seconds
     */
    public void setDrainDelay(Duration drainDelay) {
        this.drainDelay = drainDelay;
    }
}
