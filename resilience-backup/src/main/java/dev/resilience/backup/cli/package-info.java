/** The {@code resilience-backup} command line (picocli): backup, list, verify, restore, prune, keygen. */
@NullMarked
package dev.resilience.backup.cli;

import org.jspecify.annotations.NullMarked;
