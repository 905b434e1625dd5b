package dev.resilience.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told once when an alert starts firing and once when it is resolved (the alert's
 * {@link Alert#state()} says which). Called from the monitor's notification executor, one alert at
 * a time; an exception is logged and does not stop the other notifiers. Implementations must be
 * thread-safe. {@link WebhookNotifier} posts to an HTTP endpoint.
 */
@FunctionalInterface
public interface AlertNotifier {

    /**
     * Delivers the transition; may block (it runs off the evaluation thread).
     *
     * @param alert the alert after its transition: FIRING or RESOLVED
     * @throws Exception when delivery failed; the monitor logs it and goes on
     */
    void notify(Alert alert) throws Exception;

    /**
     * Logs through SLF4J (logger {@code dev.resilience.health.alerts}): firing WARNING alerts at WARN,
     * firing ERROR and CRITICAL ones at ERROR, resolutions at INFO.
     *
     * @return a notifier that logs
     */
    static AlertNotifier log() {
        Logger log = LoggerFactory.getLogger("dev.resilience.health.alerts");
        return alert -> {
            if (alert.state() == AlertState.RESOLVED) {
                log.info("Alert {} resolved{}: {} ({})", alert.id(), alert.acknowledged() ? " by acknowledgement" : "",
                        alert.summary(), alert.severity());
            } else if (alert.severity() == Severity.WARNING) {
                log.warn("Alert {} firing: {} ({})", alert.id(), alert.summary(), alert.severity());
            } else {
                log.error("Alert {} firing: {} ({})", alert.id(), alert.summary(), alert.severity());
            }
        };
    }
}
