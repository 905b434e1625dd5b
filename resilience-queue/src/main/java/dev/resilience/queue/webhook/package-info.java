/**
 * A ready-made {@link dev.resilience.queue.TaskHandler} that POSTs task payloads as signed webhooks with the
 * JDK {@link java.net.http.HttpClient}.
 */
@NullMarked
package dev.resilience.queue.webhook;

import org.jspecify.annotations.NullMarked;
