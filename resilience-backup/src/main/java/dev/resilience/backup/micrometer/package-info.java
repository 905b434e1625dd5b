/** Optional Micrometer metrics for backups; the only package that needs micrometer-core on the classpath. */
@NullMarked
package dev.resilience.backup.micrometer;

import org.jspecify.annotations.NullMarked;
