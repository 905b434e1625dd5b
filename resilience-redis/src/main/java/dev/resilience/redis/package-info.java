/**
 * The Redis plumbing the rate limiter and the cache share: {@link dev.resilience.redis.RedisConnection}
 * (a Lettuce connection to standalone, Sentinel or Cluster Redis, plain or TLS, that never makes a caller
 * wait for a dead server, with a background {@code PING} probe) and
 * {@link dev.resilience.redis.RedisOutageLog} (one log line per outage transition). See the module's README.
 */
@NullMarked
package dev.resilience.redis;

import org.jspecify.annotations.NullMarked;
