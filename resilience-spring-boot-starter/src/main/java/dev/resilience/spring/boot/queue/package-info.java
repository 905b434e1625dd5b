/**
 * The resilience-queue binding: a {@code TaskQueue} on the application's DataSource from
 * {@code resilience.queue.*}, handlers from {@link dev.resilience.spring.boot.queue.QueueHandler} beans, started
 * and stopped with the context, its health through the starter's health bridge.
 */
@NullMarked
package dev.resilience.spring.boot.queue;

import org.jspecify.annotations.NullMarked;
