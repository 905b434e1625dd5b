/** Optional Micrometer metrics for backups; the only package that needs micrometer-core on the classpath. */
package dev.resilience.backup.micrometer;
