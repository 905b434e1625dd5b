/** The {@code resilience-queue} command line (picocli): stats, migrate and the dead letter queue. */
@NullMarked
package dev.resilience.queue.cli;

import org.jspecify.annotations.NullMarked;
