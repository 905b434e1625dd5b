package dev.resilience.queue;

/**
 * Runs tasks of one type. Returning normally completes the task; throwing fails the attempt, which is
 * retried or dead-lettered by the type's {@link TaskPolicy}. Throw {@link RetryAfterException} to choose
 * the delay before the next attempt.
 *
 * <p>A task may run more than once (a worker dies after the effect but before recording success, a lease
 * expires): make the effect idempotent, for example keyed by {@link TaskContext#idempotencyKey()} or
 * {@link TaskContext#id()}. Called from worker threads, concurrently for different tasks.
 */
@FunctionalInterface
public interface TaskHandler {

    /**
     * Runs one attempt of a task.
     *
     * @param task the task with its payload, attempt number and deadline
     * @throws Exception to fail the attempt
     */
    void handle(TaskContext task) throws Exception;
}
