package dev.resilience.backup;

import java.util.Optional;

/**
 * Lets only one of several service instances run a scheduled job at a time. The PostgreSQL
 * implementation is {@link PostgresBackup#advisoryLock()}; {@link #local()} always grants the lock,
 * for a single instance where the scheduler's own no-overlap guard is enough. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface JobLock {

    /**
     * Tries to take the lock for {@code job} without waiting.
     *
     * @param job the job's name, such as {@code backup:orders}
     * @return a lease to close when the job is done, or empty when another holder has it
     * @throws BackupException when the lock cannot be asked for (database unreachable)
     */
    Optional<Lease> tryAcquire(String job);

    /** A held lock; closing releases it. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * A lock that is always granted: for a single instance, where the scheduler's own guard suffices.
     *
     * @return a lock that never refuses
     */
    static JobLock local() {
        return job -> Optional.of(() -> { });
    }
}
