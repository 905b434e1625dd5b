/**
 * Rate limiting: in-memory and Redis limiters (one round trip per decision) with an in-memory
 * fallback, key resolution, HTTP filters for the JDK server and Servlet containers, and login
 * brute-force protection. {@code dev.resilience.ratelimit.internal} is not API and is not exported.
 * On the class path the jar is the automatic module of the same name, as before.
 */
module dev.resilience.ratelimit {
    requires transitive dev.resilience.core;
    // RateLimitHttpFilter is a com.sun.net.httpserver.Filter
    requires transitive jdk.httpserver;
    requires dev.resilience.redis;
    requires lettuce.core;
    // RedisScript hands Lettuce pre-encoded arguments in a Netty buffer
    requires io.netty.buffer;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;
    // optional: only the servlet filter uses it, and the container provides it
    requires static jakarta.servlet;
    // optional: only dev.resilience.ratelimit.micrometer uses it, and only when the host adds Micrometer
    requires static micrometer.core;
    // annotations only (@NullMarked), not needed at run time
    requires static org.jspecify;

    exports dev.resilience.ratelimit;
    exports dev.resilience.ratelimit.micrometer;
}
