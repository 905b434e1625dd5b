/**
 * A Redis cache with a local Caffeine tier that survives Redis outages and stampedes.
 * {@code dev.resilience.cache.internal} is not API and is not exported. On the class path the jar is
 * the automatic module of the same name.
 */
module dev.resilience.cache {
    requires transitive dev.resilience.core;
    requires dev.resilience.redis;
    requires lettuce.core;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;
    // CacheHttpHandler is an HttpHandler
    requires transitive jdk.httpserver;
    // optional: only the Jackson codec and the Micrometer binder use them
    requires static com.fasterxml.jackson.databind;
    requires static micrometer.core;

    exports dev.resilience.cache;
    exports dev.resilience.cache.http;
    exports dev.resilience.cache.jackson;
    exports dev.resilience.cache.micrometer;
}
