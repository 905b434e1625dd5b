/**
 * Health registry, liveness/readiness/detailed endpoints for the JDK server and Servlet containers,
 * Prometheus metrics, request metrics, security headers, alerts and graceful shutdown.
 * {@code dev.resilience.health.internal} is not API and is not exported. On the class path the jar is
 * the automatic module of the same name, as before.
 */
module dev.resilience.health {
    requires transitive dev.resilience.core;
    // HealthHttpHandler, the filters and the Prometheus endpoint take these types in their signatures
    requires transitive jdk.httpserver;
    requires transitive micrometer.core;
    requires transitive micrometer.registry.prometheus;
    requires transitive java.net.http;
    requires java.management;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    // optional: only the servlet classes use it, and the container provides it
    requires static jakarta.servlet;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;

    exports dev.resilience.health;
}
