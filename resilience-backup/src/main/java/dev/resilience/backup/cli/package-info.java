/** The {@code resilience-backup} command line (picocli): backup, list, verify, restore, prune, keygen. */
package dev.resilience.backup.cli;
