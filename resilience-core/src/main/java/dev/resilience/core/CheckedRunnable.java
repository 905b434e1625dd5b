package dev.resilience.core;

/** A {@link Runnable} that may throw a checked exception, for {@code run(...)} on every policy. */
@FunctionalInterface
public interface CheckedRunnable {
    /**
     * Runs the work.
     *
     * @throws Exception anything; the policy passes it on unchanged
     */
    void run() throws Exception;
}
