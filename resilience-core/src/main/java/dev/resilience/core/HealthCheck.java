package dev.resilience.core;

/**
 * The health check SPI shared by every module: the pool, the rate limiter, the backup orchestrator
 * and a {@code CircuitBreaker} each expose one, and {@code resilience-health} runs them, caches their
 * results, applies timeouts and serves them over HTTP.
 *
 * <p>A check must be cheap (a validation query with a short timeout, never a heavy query) and
 * thread-safe: it may run concurrently with itself. A check that throws is reported as
 * {@link HealthStatus#DOWN} with the exception's message.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Runs the check once.
     *
     * @return the result; never null
     * @throws Exception when the check cannot run; the registry reports it as DOWN
     */
    HealthCheckResult check() throws Exception;
}
