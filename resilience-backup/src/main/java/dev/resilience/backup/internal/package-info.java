/**
 * Implementation of the backup module: not API, may change or go away in any release, and not exported
 * from the module. Running the PostgreSQL client tools, password files, work folders, advisory locks,
 * checksumming streams, tar archives, redaction and JSON.
 */
@NullMarked
package dev.resilience.backup.internal;

import org.jspecify.annotations.NullMarked;
