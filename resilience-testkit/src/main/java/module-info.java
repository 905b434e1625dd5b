/**
 * Manual clock and scheduler, fault-injecting TCP proxy, throwaway Redis and PostgreSQL servers and
 * test service discovery, for tests of code that uses resilience.
 */
module dev.resilience.testkit {
    requires transitive dev.resilience.core;
    // optional: TestServices starts containers only when the test puts Testcontainers on its path
    // (its jar names no module, so this is the name derived from the file name)
    requires static testcontainers;
    requires static org.jspecify;

    exports dev.resilience.testkit;
}
