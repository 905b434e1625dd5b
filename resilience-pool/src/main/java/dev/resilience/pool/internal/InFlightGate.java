package dev.resilience.pool.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts units of work in flight so closing the pool can wait for them, and turns new ones away once
 * closing has begun. Thread-safe and lock-free on {@link #enter()} / {@link #exit()}.
 */
public final class InFlightGate {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final CountDownLatch drained = new CountDownLatch(1);
    private volatile boolean closing;

    /** Admits one unit; false once closing has begun (the unit must not run). */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (closing) {
            exit();
            return false;
        }
        return true;
    }

    /** Ends one admitted unit. */
    public void exit() {
        if (inFlight.decrementAndGet() == 0 && closing) {
            drained.countDown();
        }
    }

    /** The number of units running now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Turns new units away and waits for the running ones.
     *
     * @return true when every unit finished within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean close(Duration timeout) throws InterruptedException {
        closing = true;
        if (inFlight.get() == 0) {
            drained.countDown();
        }
        return drained.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
