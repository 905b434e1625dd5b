/** A user's modular service: requires the published resilience modules by name. */
module dev.resilience.jpms {
    requires dev.resilience.core;
    requires dev.resilience.pool;
    requires dev.resilience.ratelimit;
    requires dev.resilience.health;
    requires dev.resilience.backup;
    requires dev.resilience.queue;

    exports dev.resilience.jpms;
}
