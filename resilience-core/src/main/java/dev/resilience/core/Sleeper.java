package dev.resilience.core;

import java.time.Duration;

/**
 * Blocks the calling thread for a while. Policies that wait (retry backoff, bulkhead) sleep through
 * a {@code Sleeper} so tests can record and skip the waits ({@code dev.resilience.testkit.ManualScheduler}).
 *
 * <p>Implementations must be thread-safe and must respond to interruption by throwing
 * {@link InterruptedException}.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Sleeps for the given duration.
     *
     * @param duration how long to sleep; zero or negative returns at once
     * @throws InterruptedException if the thread is interrupted while sleeping
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * {@return a sleeper using {@link Thread#sleep(long, int)}, friendly to virtual threads, which unmount while sleeping}
     */
    static Sleeper system() {
        return SystemTime.INSTANCE;
    }
}
