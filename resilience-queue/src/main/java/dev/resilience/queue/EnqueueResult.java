package dev.resilience.queue;

/**
 * What an enqueue did: the id of the task and whether it was a duplicate (a task of the same type and
 * idempotency key existed, so nothing was inserted and the existing task's id is returned).
 *
 * @param id        the task's id (the existing task's when {@code duplicate})
 * @param duplicate true when nothing was inserted because of the idempotency key
 */
public record EnqueueResult(long id, boolean duplicate) {
}
