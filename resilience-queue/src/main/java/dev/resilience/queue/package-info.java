/**
 * Durable tasks on PostgreSQL: {@link dev.resilience.queue.TaskQueue} enqueues inside the caller's
 * transaction, runs tasks on leased workers in any number of instances, retries with backoff and keeps
 * hopeless tasks in a {@link dev.resilience.queue.DeadLetterQueue}.
 */
@NullMarked
package dev.resilience.queue;

import org.jspecify.annotations.NullMarked;
