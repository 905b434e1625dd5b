/**
 * Retry, circuit breaker, timeout, bulkhead and fallback, their composition, events, clock, the
 * {@code HealthCheck} SPI and the optional Micrometer binders.
 *
 * <p>{@code dev.resilience.core.internal} is not API: it is exported only to the sibling modules that
 * share it. A module on the class path (an automatic module) sees every package, as before.
 */
module dev.resilience.core {
    requires org.slf4j;
    // optional: only dev.resilience.core.micrometer uses it, and only when the host adds Micrometer
    requires static micrometer.core;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;

    exports dev.resilience.core;
    exports dev.resilience.core.micrometer;
    // the sibling modules share the argument checks (Arguments); no other module may use the package
    exports dev.resilience.core.internal to dev.resilience.pool, dev.resilience.ratelimit, dev.resilience.health,
            dev.resilience.backup, dev.resilience.queue, dev.resilience.redis, dev.resilience.cache;
}
