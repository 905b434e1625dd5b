/**
 * The Redis plumbing the rate limiter and the cache share: a Lettuce connection (standalone,
 * Sentinel, Cluster, TLS with a private CA) with a health probe, URI redaction and outage logging.
 * {@code dev.resilience.redis.internal} is not API and is not exported. On the class path the jar is
 * the automatic module of the same name.
 */
module dev.resilience.redis {
    requires transitive dev.resilience.core;
    // RedisConnection hands out Lettuce connections and commands
    requires transitive lettuce.core;
    requires io.netty.common;
    // RedisConnection follows Lettuce's connection events, a reactor Flux
    requires reactor.core;
    requires org.reactivestreams;
    requires org.slf4j;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;

    exports dev.resilience.redis;
}
