/** JMH benchmarks comparing this library with its peers in the same run. */
package dev.resilience.benchmarks;
