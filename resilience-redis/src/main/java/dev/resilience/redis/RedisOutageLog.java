package dev.resilience.redis;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.CircuitBreakerEvent;
import dev.resilience.core.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;

/**
 * The outage logging discipline of every Redis user in this library: one WARN when a
 * {@link CircuitBreaker} around Redis leaves CLOSED ({@code "<subject> cannot use Redis at <where>:
 * <meanwhile> until it answers again"}), one INFO when it closes again ({@code "<subject> is back on Redis
 * at <where> after <n> ms"}), and nothing for the breaker's probing cycles between (OPEN, HALF_OPEN, OPEN
 * ...), however long the outage lasts. Feed it every event of the breaker.
 *
 * <p>Thread-safe (the breaker delivers transitions one at a time).
 */
public final class RedisOutageLog {

    /** What a breaker event meant for the user of Redis. */
    public enum Transition {
        /** Not a change between using Redis and not using it. */
        NONE,
        /** Redis stopped being used: the outage began. */
        OUTAGE_STARTED,
        /** Redis is used again: the outage ended. */
        OUTAGE_ENDED
    }

    private final Logger log;
    private final String subject;
    private final String where;
    private final String meanwhile;
    private final Clock clock;
    private volatile long outageStartNanos;

    /**
     * @param log the logger of the user (so lines carry its name)
     * @param subject who is speaking, e.g. {@code "Rate limiter api"} or {@code "Cache orders"}
     * @param where Redis' {@link RedisConnection#description() description} (never credentials)
     * @param meanwhile what happens during the outage, e.g. {@code "serving from the local tier and the loader"}
     * @param clock the time source for the outage's duration
     */
    public RedisOutageLog(Logger log, String subject, String where, String meanwhile, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.where = Objects.requireNonNull(where, "where");
        this.meanwhile = Objects.requireNonNull(meanwhile, "meanwhile");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * True for the states in which Redis is not used for every call (OPEN, HALF_OPEN, FORCED_OPEN).
     *
     * @param state a circuit breaker state
     * @return true for OPEN, HALF_OPEN and FORCED_OPEN
     */
    public static boolean isOutage(CircuitBreaker.State state) {
        return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.HALF_OPEN
                || state == CircuitBreaker.State.FORCED_OPEN;
    }

    /**
     * Logs the event when it starts or ends an outage; answers which it was.
     *
     * @param event an event of the breaker guarding Redis
     * @return OUTAGE_STARTED or OUTAGE_ENDED when the event logged one of them, otherwise NONE
     */
    public Transition onEvent(CircuitBreakerEvent event) {
        if (event.type() != CircuitBreakerEvent.Type.STATE_TRANSITION || isOutage(event.fromState()) == isOutage(event.toState())) {
            return Transition.NONE;
        }
        if (isOutage(event.toState())) {
            outageStartNanos = clock.nanoTime();
            log.warn("{} cannot use Redis at {}: {} until it answers again", subject, where, meanwhile);
            return Transition.OUTAGE_STARTED;
        }
        log.info("{} is back on Redis at {} after {} ms", subject, where, Duration.ofNanos(clock.nanoTime() - outageStartNanos).toMillis());
        return Transition.OUTAGE_ENDED;
    }

    /**
     * When the current (or last) outage began, in the clock's {@code nanoTime}.
     *
     * @return the start of the latest outage in nanoseconds of the clock; 0 before the first outage
     */
    public long outageStartNanos() {
        return outageStartNanos;
    }
}
