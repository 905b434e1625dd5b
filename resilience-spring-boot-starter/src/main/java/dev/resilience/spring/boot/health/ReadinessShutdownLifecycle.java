package dev.resilience.spring.boot.health;

import dev.resilience.core.Sleeper;
import dev.resilience.spring.boot.PhasedLifecycle;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The first step of the shutdown: when the context closes, takes the service out of readiness before the web
 * server's graceful shutdown stops accepting requests, then waits the drain delay so load balancers notice.
 * Stops at {@link #PHASE}, one above Boot's {@link WebServerGracefulShutdownLifecycle#SMART_LIFECYCLE_PHASE}
 * (lifecycles stop from the highest phase down), so, in order:
 * <ol>
 *   <li>this bean: the {@code resilience} health contributor reports {@code OUT_OF_SERVICE} (component
 *       {@code shutdown}), Boot's {@link ReadinessState#REFUSING_TRAFFIC} is published (Actuator's
 *       {@code readinessState}), then the drain delay is waited while the server still serves;</li>
 *   <li>Boot's graceful shutdown ({@code server.shutdown=graceful}): no new requests, in-flight ones finish
 *       within {@code spring.lifecycle.timeout-per-shutdown-phase};</li>
 *   <li>Boot stops the web server;</li>
 *   <li>lower phases (the alert monitor), then Spring destroys the beans, each before the beans it depends
 *       on: the pool, limiters, schedulers close after the last request has been answered.</li>
 * </ol>
 * Thread-safe.
 */
public final class ReadinessShutdownLifecycle extends PhasedLifecycle {
    /** One above Boot's graceful shutdown phase: stops just before the web server starts draining. */
    public static final int PHASE = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    static final String REASON = "shutting down";
    private static final Logger log = LoggerFactory.getLogger(ReadinessShutdownLifecycle.class);

    private final ApplicationEventPublisher events;
    private final OutOfService outOfService;
    private final Duration drainDelay;
    private final Sleeper sleeper;

    /**
     * @param events       where the readiness change is published (the application context)
     * @param outOfService the switch the {@code resilience} contributor reads
     * @param drainDelay   how long to keep serving after readiness went down
     * @param sleeper      how the delay is waited
     */
    public ReadinessShutdownLifecycle(ApplicationEventPublisher events, OutOfService outOfService, Duration drainDelay,
            Sleeper sleeper) {
        super(PHASE);
        this.events = events;
        this.outOfService = outOfService;
        this.drainDelay = drainDelay;
        this.sleeper = sleeper;
    }

    @Override
    protected void onStart() {
        outOfService.clear();
    }

    @Override
    protected void onStop() {
        log.info("Shutdown: readiness down (resilience OUT_OF_SERVICE, REFUSING_TRAFFIC), draining for {} ms "
                + "before the web server stops accepting", drainDelay.toMillis());
        outOfService.mark(REASON);
        AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
        try {
            if (!drainDelay.isZero()) {
                sleeper.sleep(drainDelay);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("Shutdown: drain delay interrupted");
        }
    }

    /**
     * How long the service keeps serving after readiness went down.
     *
     * @return the configured drain delay
     */
    public Duration drainDelay() {
        return drainDelay;
    }
}
