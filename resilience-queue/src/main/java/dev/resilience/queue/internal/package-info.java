/**
 * Implementation of the queue module: not API, may change or go away in any release, and not exported
 * from the module. The SQL statements and the schema migrations.
 */
package dev.resilience.queue.internal;
