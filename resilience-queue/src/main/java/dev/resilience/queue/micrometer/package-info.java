/**
 * Micrometer meters for a {@link dev.resilience.queue.TaskQueue}; needs {@code io.micrometer:micrometer-core}
 * on the classpath, which the queue itself does not.
 */
@NullMarked
package dev.resilience.queue.micrometer;

import org.jspecify.annotations.NullMarked;
