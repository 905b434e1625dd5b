package dev.resilience.examples.ratelimit;

import com.sun.net.httpserver.Filter;
import dev.resilience.core.HealthCheck;
import dev.resilience.examples.ServiceConfig;
import dev.resilience.ratelimit.ClientIpResolver;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitHttpFilter;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's rate limits, from {@code resilience-ratelimit}: {@code API_RATE_LIMIT} (default 100
 * per 15 minutes) per client IP on {@code /api/**}, counted in Redis when {@code REDIS_URI} is set
 * (shared by every instance; while Redis is down the limiter decides in memory and its health check
 * is DEGRADED) and in memory otherwise.
 *
 * <p>Thread-safe. Close it to release the Redis connection.
 */
public final class RateLimiting implements AutoCloseable {

    private final RedisBackend redis;
    private final List<RateLimiter> limiters = new ArrayList<>();
    private final RateLimiter api;
    private final ClientIpResolver clients;
    private final Filter filter;
    private final String description;

    /** Builds the limiters from {@code config}; connects to Redis when it is configured. */
    public RateLimiting(ServiceConfig config) {
        redis = config.redisUri().map(RedisBackend::create).orElse(null);
        clients = ClientIpResolver.builder().trustedProxies(config.trustedProxies().toArray(String[]::new)).build();
        api = limiter("api", RateLimitPolicy.of(Limit.slidingWindow("api", config.apiLimit().permits(),
                config.apiLimit().window())), config);
        filter = new RateLimitHttpFilter(RateLimitRules.builder().route("/api/**", api).keyResolver(clients).build());
        description = (redis == null ? "in-memory" : "Redis at " + redis.description()) + ", " + config.apiLimit()
                + " per IP on /api/**";
    }

    private RateLimiter limiter(String name, RateLimitPolicy policy, ServiceConfig config) {
        RateLimiter limiter = redis == null
                ? InMemoryRateLimiter.builder(name, policy).build()
                : RedisRateLimiter.builder(name, policy).backend(redis).keyPrefix(config.redisKeyPrefix()).build();
        limiters.add(limiter);
        return limiter;
    }

    /** The filter limiting {@code /api/**}; put it on every context, it ignores other paths. */
    public Filter filter() {
        return filter;
    }

    /** The API limiter's health: UP, or DEGRADED while it decides in memory because Redis is down. */
    public HealthCheck healthCheck() {
        return api.asHealthCheck();
    }

    /** For the start log line. */
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        limiters.forEach(RateLimiter::close);
        if (redis != null) {
            redis.close();
        }
    }
}
