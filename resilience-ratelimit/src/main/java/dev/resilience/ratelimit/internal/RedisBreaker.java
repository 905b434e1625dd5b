package dev.resilience.ratelimit.internal;

import dev.resilience.core.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Decides whether to ask Redis: after {@code failureThreshold} consecutive failures it stops for
 * {@code openDuration}, then lets one call through; that call's success closes it again. Transitions
 * are reported once each to {@code onChange} ({@code true} = stopped asking Redis).
 *
 * <p>Thread-safe and lock-free.
 */
public final class RedisBreaker {

    private static final long CLOSED = Long.MIN_VALUE;

    private final Clock clock;
    private final int failureThreshold;
    private final long openNanos;
    private final Consumer<Boolean> onChange;
    private final AtomicInteger failures = new AtomicInteger();
    /** CLOSED, or the nano time from which one probe may go to Redis. */
    private final AtomicLong probeAt = new AtomicLong(CLOSED);

    public RedisBreaker(Clock clock, int failureThreshold, Duration openDuration, Consumer<Boolean> onChange) {
        this.clock = clock;
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.onChange = onChange;
    }

    /** True when this call may go to Redis. */
    public boolean tryAcquirePermission() {
        long at = probeAt.get();
        if (at == CLOSED) {
            return true;
        }
        long now = clock.nanoTime();
        // one probe per open period: whoever moves the probe time forward sends it
        return now - at >= 0 && probeAt.compareAndSet(at, now + openNanos);
    }

    public void onSuccess() {
        failures.set(0);
        long at = probeAt.get();
        if (at != CLOSED && probeAt.compareAndSet(at, CLOSED)) {
            onChange.accept(false);
        }
    }

    public void onError() {
        if (probeAt.get() != CLOSED) {
            return; // a failed probe: the next probe time is already set
        }
        if (failures.incrementAndGet() >= failureThreshold && probeAt.compareAndSet(CLOSED, clock.nanoTime() + openNanos)) {
            onChange.accept(true);
        }
    }

    /** True while calls do not go to Redis. */
    public boolean isOpen() {
        return probeAt.get() != CLOSED;
    }

    /** Nanoseconds until the next probe, 0 when closed or due. */
    public long remainingOpenNanos() {
        long at = probeAt.get();
        return at == CLOSED ? 0 : Math.max(0, at - clock.nanoTime());
    }
}
