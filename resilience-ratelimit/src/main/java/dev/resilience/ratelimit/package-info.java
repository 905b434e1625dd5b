/**
 * Rate limiting: {@link dev.resilience.ratelimit.RateLimiter} with an in-memory and a Redis
 * implementation (with in-memory fallback), key resolution, HTTP filters for Jakarta Servlet and the
 * JDK HttpServer, and brute-force {@link dev.resilience.ratelimit.LoginProtection}. See the module's
 * README.
 */
@NullMarked
package dev.resilience.ratelimit;

import org.jspecify.annotations.NullMarked;
