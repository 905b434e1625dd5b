/**
 * An admin HTTP handler for the JDK {@code HttpServer}: queue stats and the dead letter queue (list,
 * reprocess, discard), behind the same access rules as the health module's detailed endpoint.
 */
@NullMarked
package dev.resilience.queue.admin;

import org.jspecify.annotations.NullMarked;
