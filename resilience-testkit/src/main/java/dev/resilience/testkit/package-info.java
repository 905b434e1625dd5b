/**
 * Helpers for tests of code that uses resilience: {@link dev.resilience.testkit.ManualClock} and
 * {@link dev.resilience.testkit.ManualScheduler} for time without sleeping, {@link dev.resilience.testkit.TcpProxy}
 * to cut, delay or blackhole a connection, {@link dev.resilience.testkit.RedisServerProcess} and
 * {@link dev.resilience.testkit.PostgresCluster} for servers a test may stop, and
 * {@link dev.resilience.testkit.TestServices} to find the shared PostgreSQL and Redis.
 */
@NullMarked
package dev.resilience.testkit;

import org.jspecify.annotations.NullMarked;
