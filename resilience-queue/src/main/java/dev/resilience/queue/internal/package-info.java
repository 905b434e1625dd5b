/**
 * Implementation of the queue module: not API, may change or go away in any release, and not exported
 * from the module. The SQL statements and the schema migrations.
 */
@NullMarked
package dev.resilience.queue.internal;

import org.jspecify.annotations.NullMarked;
