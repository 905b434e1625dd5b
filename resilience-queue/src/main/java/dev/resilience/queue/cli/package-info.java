/** The {@code resilience-queue} command line (picocli): stats, migrate and the dead letter queue. */
package dev.resilience.queue.cli;
