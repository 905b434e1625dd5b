package dev.resilience.examples.ratelimit;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.resilience.core.HealthCheck;
import dev.resilience.examples.ServiceConfig;
import dev.resilience.ratelimit.ClientIpResolver;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.LoginProtection;
import dev.resilience.ratelimit.ProxyHeader;
import dev.resilience.ratelimit.RateLimitHttpFilter;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;

/**
 * The service's rate limits, from {@code resilience-ratelimit}: {@code API_RATE_LIMIT} (default 100
 * per 15 minutes) per client IP on {@code /api/**}, and brute-force protection of {@code /auth/login}
 * ({@code LOGIN_RATE_LIMIT}, default 5 failures per 15 minutes per user and IP, then blocked for 15
 * minutes). Counted in Redis when {@code REDIS_URI} is set (shared by every instance; while Redis is
 * down the limiters decide in memory and the health check is DEGRADED), in memory otherwise.
 *
 * <p>Thread-safe. Close it to release the limiters and the Redis connection.
 */
public final class RateLimiting implements AutoCloseable {

    private final ServiceConfig config;
    private final RedisBackend redis;
    private final RateLimiter api;
    private final LoginProtection login;
    private final ClientIpResolver clients;
    private final Filter filter;
    private final String description;

    /** Builds the limiters from {@code config}; connects to Redis when it is configured. */
    public RateLimiting(ServiceConfig config) {
        this.config = config;
        redis = config.redisUri().map(uri -> RedisBackend.builder().uri(uri).commandTimeout(config.redisTimeout()).build()).orElse(null);
        clients = ClientIpResolver.builder().trustedProxies(config.trustedProxies().toArray(String[]::new))
                .proxyHeader(ProxyHeader.xForwardedFor()).build(); // what nginx and the cloud load balancers append to
        api = limiter("api", RateLimitPolicy.of(Limit.slidingWindow("api", config.apiLimit().permits(), config.apiLimit().window())),
                config.redisKeyPrefix());
        filter = new RateLimitHttpFilter(RateLimitRules.builder().route("/api/**", api).keyResolver(clients).build());
        LoginProtection.Builder loginBuilder = LoginProtection.builder()
                .maxFailures(config.loginLimit().permits())
                .window(config.loginLimit().window())
                .blockDuration(config.loginLimit().window());
        if (redis != null) {
            loginBuilder.redis(redis).keyPrefix(config.redisKeyPrefix() + "login:");
        }
        login = loginBuilder.build();
        description = (redis == null ? "in-memory" : "Redis at " + redis.description()) + ", " + config.apiLimit()
                + " per IP on /api/**, login blocked after " + config.loginLimit().permits() + " failures in "
                + ServiceConfig.format(config.loginLimit().window());
    }

    private RateLimiter limiter(String name, RateLimitPolicy policy, String keyPrefix) {
        return redis == null
                ? InMemoryRateLimiter.builder(name, policy).build()
                : RedisRateLimiter.builder(name, policy).backend(redis).keyPrefix(keyPrefix).build();
    }

    /** The filter limiting {@code /api/**}; put it on every context, it ignores other paths. */
    public Filter filter() {
        return filter;
    }

    /** The brute-force protection of the login endpoint. */
    public LoginProtection loginProtection() {
        return login;
    }

    /** The client's address: the peer, or the forwarded client when the peer is a trusted proxy. */
    public String clientAddress(HttpExchange exchange) {
        return clients.resolve(RateLimitHttpFilter.request(exchange));
    }

    /** The API limiter's health: UP, or DEGRADED while it decides in memory because Redis is down. */
    public HealthCheck asHealthCheck() {
        return api.asHealthCheck();
    }

    /** For the start log line. */
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        api.close();
        login.close();
        if (redis != null) {
            redis.close();
        }
    }
}
