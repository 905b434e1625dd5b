package dev.resilience.spring.boot.ratelimit;

import dev.resilience.ratelimit.FallbackMode;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.LoginOutagePolicy;
import dev.resilience.ratelimit.RateLimitRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code resilience.ratelimit.*}: named limiters, the servlet filter's routes and client address rules,
 * Redis options and login protection. Settings left out keep the ratelimit module's defaults.
 */
@ConfigurationProperties(prefix = "resilience.ratelimit")
public class RateLimitProperties {

    /** Whether the rate limit auto-configuration runs at all. */
    private boolean enabled = true;

    /** What Redis limiters do while Redis is slow or down, unless a limiter says otherwise. */
    private FallbackMode fallbackMode = FallbackMode.LOCAL_FALLBACK;

    /** How many instances of the service share the limits; while Redis is down each admits 1/instances of every limit. */
    private int instances = 1;

    /** Named limiters, each with one or more limits applied all-or-nothing. */
    private Map<String, Limiter> limiters = new LinkedHashMap<>();

    @NestedConfigurationProperty
    private final Redis redis = new Redis();

    @NestedConfigurationProperty
    private final Filter filter = new Filter();

    @NestedConfigurationProperty
    private final Login login = new Login();

    /** @return whether the rate limit auto-configuration runs at all */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the rate limit auto-configuration runs at all */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return what Redis limiters do while Redis is slow or down, unless a limiter says otherwise */
    public FallbackMode getFallbackMode() {
        return fallbackMode;
    }

    /** @param fallbackMode what Redis limiters do while Redis is slow or down, unless a limiter says otherwise */
    public void setFallbackMode(FallbackMode fallbackMode) {
        this.fallbackMode = fallbackMode;
    }

    /**
     * @return how many instances of the service share the limits; while Redis is down each admits 1/instances of every
     * limit
     */
    public int getInstances() {
        return instances;
    }

    /**
     * @param instances how many instances of the service share the limits; while Redis is down each admits 1/instances
     * of every limit
     */
    public void setInstances(int instances) {
        this.instances = instances;
    }

    /** @return named limiters, each with one or more limits applied all-or-nothing */
    public Map<String, Limiter> getLimiters() {
        return limiters;
    }

    /** @param limiters named limiters, each with one or more limits applied all-or-nothing */
    public void setLimiters(Map<String, Limiter> limiters) {
        this.limiters = limiters;
    }

    /** @return {@code resilience.ratelimit.redis.*}: the Redis backend of the limiters */
    public Redis getRedis() {
        return redis;
    }

    /** @return {@code resilience.ratelimit.filter.*}: the servlet filter that limits requests by route */
    public Filter getFilter() {
        return filter;
    }

    /** @return {@code resilience.ratelimit.login.*}: login protection */
    public Login getLogin() {
        return login;
    }

    /** One named limiter: {@code resilience.ratelimit.limiters.<name>.*}. */
    public static class Limiter {

        /** The limits, by name (the name appears in the RateLimit headers and in Redis keys). */
        private Map<String, LimitSpec> limits = new LinkedHashMap<>();

        /** This limiter's fallback mode (default: resilience.ratelimit.fallback-mode). */
        private @Nullable FallbackMode fallbackMode;

        /** This limiter's instance count for the fallback share (default: resilience.ratelimit.instances). */
        private @Nullable Integer instances;

        /** @return the limits, by name (the name appears in the RateLimit headers and in Redis keys) */
        public Map<String, LimitSpec> getLimits() {
            return limits;
        }

        /** @param limits the limits, by name (the name appears in the RateLimit headers and in Redis keys) */
        public void setLimits(Map<String, LimitSpec> limits) {
            this.limits = limits;
        }

        /** @return this limiter's fallback mode (default: resilience.ratelimit.fallback-mode); null when not set */
        public @Nullable FallbackMode getFallbackMode() {
            return fallbackMode;
        }

        /** @param fallbackMode this limiter's fallback mode (default: resilience.ratelimit.fallback-mode) */
        public void setFallbackMode(@Nullable FallbackMode fallbackMode) {
            this.fallbackMode = fallbackMode;
        }

        /**
         * @return this limiter's instance count for the fallback share (default: resilience.ratelimit.instances); null
         * when not set
         */
        public @Nullable Integer getInstances() {
            return instances;
        }

        /**
         * @param instances this limiter's instance count for the fallback share (default:
         * resilience.ratelimit.instances)
         */
        public void setInstances(@Nullable Integer instances) {
            this.instances = instances;
        }
    }

    /** One limit: {@code resilience.ratelimit.limiters.<name>.limits.<limit>.*}. */
    public static class LimitSpec {

        /** sliding-window, fixed-window or token-bucket. */
        private Limit.Algorithm algorithm = Limit.Algorithm.SLIDING_WINDOW;

        /** Permits per window (for a token bucket: the refill per window). */
        private long permits;

        /** The window, for example 15m or 1s. */
        private @Nullable Duration window;

        /** Token bucket only: the burst size (default: permits). */
        private @Nullable Long capacity;

        /** @return sliding-window, fixed-window or token-bucket */
        public Limit.Algorithm getAlgorithm() {
            return algorithm;
        }

        /** @param algorithm sliding-window, fixed-window or token-bucket */
        public void setAlgorithm(Limit.Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        /** @return permits per window (for a token bucket: the refill per window) */
        public long getPermits() {
            return permits;
        }

        /** @param permits permits per window (for a token bucket: the refill per window) */
        public void setPermits(long permits) {
            this.permits = permits;
        }

        /** @return the window, for example 15m or 1s; null when not set */
        public @Nullable Duration getWindow() {
            return window;
        }

        /** @param window the window, for example 15m or 1s */
        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        /** @return token bucket only: the burst size (default: permits); null when not set */
        public @Nullable Long getCapacity() {
            return capacity;
        }

        /** @param capacity token bucket only: the burst size (default: permits) */
        public void setCapacity(@Nullable Long capacity) {
            this.capacity = capacity;
        }
    }

    /** {@code resilience.ratelimit.redis.*}: the server itself comes from {@code spring.data.redis.*}. */
    public static class Redis {

        /** Whether limiters count in Redis when spring.data.redis.host or spring.data.redis.url is set; false keeps them in memory. */
        private boolean enabled = true;

        /** Prefix of the limiters' Redis keys; give each service its own (module default rl:). */
        private @Nullable String keyPrefix;

        /** How long a Redis command may take before the limiter decides by its fallback (module default 50ms). */
        private @Nullable Duration commandTimeout;

        /** How long connecting may take (module default 1s). */
        private @Nullable Duration connectTimeout;

        /**
         * @return whether limiters count in Redis when spring.data.redis.host or spring.data.redis.url is set; false
         * keeps them in memory
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether limiters count in Redis when spring.data.redis.host or spring.data.redis.url is set;
         * false keeps them in memory
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return prefix of the limiters' Redis keys; give each service its own (module default rl:); null when not set
         */
        public @Nullable String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix prefix of the limiters' Redis keys; give each service its own (module default rl:) */
        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * @return how long a Redis command may take before the limiter decides by its fallback (module default 50ms);
         * null when not set
         */
        public @Nullable Duration getCommandTimeout() {
            return commandTimeout;
        }

        /**
         * @param commandTimeout how long a Redis command may take before the limiter decides by its fallback (module
         * default 50ms)
         */
        public void setCommandTimeout(@Nullable Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        /** @return how long connecting may take (module default 1s); null when not set */
        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        /** @param connectTimeout how long connecting may take (module default 1s) */
        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }
    }

    /** {@code resilience.ratelimit.filter.*}: the servlet filter, registered when at least one route is set. */
    public static class Filter {

        /** Whether the servlet filter is registered. */
        private boolean enabled = true;

        /** The filter's order; the default runs it before Spring Security (-100), so floods are turned away before authentication. */
        private int order = -110;

        /** URL patterns the filter is mapped to. */
        private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

        /** Routes, first match wins: path pattern, limiter name, key kind, skip. */
        private List<Route> routes = new ArrayList<>();

        /** Path patterns never limited (for example /actuator/**). */
        private List<String> exclude = new ArrayList<>();

        /** Client addresses (IP or CIDR) never limited. */
        private List<String> allowAddresses = new ArrayList<>();

        /** Client addresses (IP or CIDR) refused with 403. */
        private List<String> denyAddresses = new ArrayList<>();

        /** Whether responses also carry X-RateLimit-Limit, -Remaining and -Reset. */
        private boolean legacyHeaders;

        /** The header holding the API key, for routes with key api-key. */
        private String apiKeyHeader = "X-API-Key";

        @NestedConfigurationProperty
        private final ClientIp clientIp = new ClientIp();

        /** @return whether the servlet filter is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the servlet filter is registered */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the filter's order; the default runs it before Spring Security (-100), so floods are turned away
         * before authentication
         */
        public int getOrder() {
            return order;
        }

        /**
         * @param order the filter's order; the default runs it before Spring Security (-100), so floods are turned away
         * before authentication
         */
        public void setOrder(int order) {
            this.order = order;
        }

        /** @return URL patterns the filter is mapped to */
        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        /** @param urlPatterns URL patterns the filter is mapped to */
        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }

        /** @return routes, first match wins: path pattern, limiter name, key kind, skip */
        public List<Route> getRoutes() {
            return routes;
        }

        /** @param routes routes, first match wins: path pattern, limiter name, key kind, skip */
        public void setRoutes(List<Route> routes) {
            this.routes = routes;
        }

        /** @return path patterns never limited (for example /actuator/**) */
        public List<String> getExclude() {
            return exclude;
        }

        /** @param exclude path patterns never limited (for example /actuator/**) */
        public void setExclude(List<String> exclude) {
            this.exclude = exclude;
        }

        /** @return client addresses (IP or CIDR) never limited */
        public List<String> getAllowAddresses() {
            return allowAddresses;
        }

        /** @param allowAddresses client addresses (IP or CIDR) never limited */
        public void setAllowAddresses(List<String> allowAddresses) {
            this.allowAddresses = allowAddresses;
        }

        /** @return client addresses (IP or CIDR) refused with 403 */
        public List<String> getDenyAddresses() {
            return denyAddresses;
        }

        /** @param denyAddresses client addresses (IP or CIDR) refused with 403 */
        public void setDenyAddresses(List<String> denyAddresses) {
            this.denyAddresses = denyAddresses;
        }

        /** @return whether responses also carry X-RateLimit-Limit, -Remaining and -Reset */
        public boolean isLegacyHeaders() {
            return legacyHeaders;
        }

        /** @param legacyHeaders whether responses also carry X-RateLimit-Limit, -Remaining and -Reset */
        public void setLegacyHeaders(boolean legacyHeaders) {
            this.legacyHeaders = legacyHeaders;
        }

        /** @return the header holding the API key, for routes with key api-key */
        public String getApiKeyHeader() {
            return apiKeyHeader;
        }

        /** @param apiKeyHeader the header holding the API key, for routes with key api-key */
        public void setApiKeyHeader(String apiKeyHeader) {
            this.apiKeyHeader = apiKeyHeader;
        }

        /** @return {@code resilience.ratelimit.filter.client-ip.*}: how the client's address is found */
        public ClientIp getClientIp() {
            return clientIp;
        }
    }

    /** What a route counts requests under. */
    public enum KeyKind {
        /** The client address (behind trusted proxies: read from the proxy header). */
        CLIENT_IP,
        /** The authenticated user; anonymous requests are counted by client address. */
        USER,
        /** The hashed API key from filter.api-key-header; requests without one are counted by client address. */
        API_KEY,
        /** One count per route, shared by every client. */
        ROUTE
    }

    /** One route: {@code resilience.ratelimit.filter.routes[i].*}. */
    public static class Route {

        /** Path pattern: /auth/login, /api/** (every spelling of the path matches, see the ratelimit README). */
        private @Nullable String path;

        /** Name of the limiter in resilience.ratelimit.limiters. */
        private @Nullable String limiter;

        /** What requests are counted under. */
        private KeyKind key = KeyKind.CLIENT_IP;

        /** none, or successful (only failed responses count) or failed (only successful ones count). */
        private RateLimitRules.@Nullable Skip skip;

        /**
         * @return path pattern: /auth/login, /api/** (every spelling of the path matches, see the ratelimit README);
         * null when not set
         */
        public @Nullable String getPath() {
            return path;
        }

        /**
         * @param path path pattern: /auth/login, /api/** (every spelling of the path matches, see the ratelimit README)
         */
        public void setPath(@Nullable String path) {
            this.path = path;
        }

        /** @return name of the limiter in resilience.ratelimit.limiters; null when not set */
        public @Nullable String getLimiter() {
            return limiter;
        }

        /** @param limiter name of the limiter in resilience.ratelimit.limiters */
        public void setLimiter(@Nullable String limiter) {
            this.limiter = limiter;
        }

        /** @return what requests are counted under */
        public KeyKind getKey() {
            return key;
        }

        /** @param key what requests are counted under */
        public void setKey(KeyKind key) {
            this.key = key;
        }

        /**
         * @return none, or successful (only failed responses count) or failed (only successful ones count); null when
         * not set
         */
        public RateLimitRules.@Nullable Skip getSkip() {
            return skip;
        }

        /** @param skip none, or successful (only failed responses count) or failed (only successful ones count) */
        public void setSkip(RateLimitRules.@Nullable Skip skip) {
            this.skip = skip;
        }
    }

    /** {@code resilience.ratelimit.filter.client-ip.*}: how the client address is found. */
    public static class ClientIp {

        /** Proxies (IP or CIDR) whose proxy header is believed; empty: the socket address is the client and every forwarding header is ignored. */
        private List<String> trustedProxies = new ArrayList<>();

        /** The one header the trusted proxies write: x-forwarded-for, forwarded (RFC 7239), or the name of a single-value header such as X-Real-IP. Required with trusted-proxies. */
        private @Nullable String proxyHeader;

        /** IPv6 clients are grouped by this prefix length (module default 64). */
        private @Nullable Integer ipv6Prefix;

        /**
         * @return proxies (IP or CIDR) whose proxy header is believed; empty: the socket address is the client and
         * every forwarding header is ignored
         */
        public List<String> getTrustedProxies() {
            return trustedProxies;
        }

        /**
         * @param trustedProxies proxies (IP or CIDR) whose proxy header is believed; empty: the socket address is the
         * client and every forwarding header is ignored
         */
        public void setTrustedProxies(List<String> trustedProxies) {
            this.trustedProxies = trustedProxies;
        }

        /**
         * @return the one header the trusted proxies write: x-forwarded-for, forwarded (RFC 7239), or the name of a
         * single-value header such as X-Real-IP. Required with trusted-proxies; null when not set
         */
        public @Nullable String getProxyHeader() {
            return proxyHeader;
        }

        /**
         * @param proxyHeader the one header the trusted proxies write: x-forwarded-for, forwarded (RFC 7239), or the
         * name of a single-value header such as X-Real-IP. Required with trusted-proxies
         */
        public void setProxyHeader(@Nullable String proxyHeader) {
            this.proxyHeader = proxyHeader;
        }

        /** @return IPv6 clients are grouped by this prefix length (module default 64); null when not set */
        public @Nullable Integer getIpv6Prefix() {
            return ipv6Prefix;
        }

        /** @param ipv6Prefix IPv6 clients are grouped by this prefix length (module default 64) */
        public void setIpv6Prefix(@Nullable Integer ipv6Prefix) {
            this.ipv6Prefix = ipv6Prefix;
        }
    }

    /** {@code resilience.ratelimit.login.*}: the {@code LoginProtection} bean. */
    public static class Login {

        /** Whether a LoginProtection bean is created. */
        private boolean enabled = true;

        /** Failures per username and address before both are blocked (module default 5). */
        private @Nullable Integer maxFailures;

        /** Failures per address, any username (module default 50). */
        private @Nullable Integer maxFailuresPerAddress;

        /** Failures per username, any address; unset: not counted. */
        private @Nullable Integer maxFailuresPerUsername;

        /** The window failures are counted in (module default 15m). */
        private @Nullable Duration window;

        /** How long a block lasts (module default 15m). */
        private @Nullable Duration blockDuration;

        /** Repeat offenders get doubling blocks up to this long; unset: every block lasts block-duration. */
        private @Nullable Duration growingBlocksMax;

        /** While Redis is unavailable: local-share (count in memory with 1/instances of each maximum) or fail-closed (refuse every attempt). */
        private @Nullable LoginOutagePolicy outagePolicy;

        /** Instances sharing the counts, for local-share (default: resilience.ratelimit.instances). */
        private @Nullable Integer instances;

        /** Prefix of the login keys in Redis (module default login:). */
        private @Nullable String keyPrefix;

        /** @return whether a LoginProtection bean is created */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether a LoginProtection bean is created */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return failures per username and address before both are blocked (module default 5); null when not set */
        public @Nullable Integer getMaxFailures() {
            return maxFailures;
        }

        /** @param maxFailures failures per username and address before both are blocked (module default 5) */
        public void setMaxFailures(@Nullable Integer maxFailures) {
            this.maxFailures = maxFailures;
        }

        /** @return failures per address, any username (module default 50); null when not set */
        public @Nullable Integer getMaxFailuresPerAddress() {
            return maxFailuresPerAddress;
        }

        /** @param maxFailuresPerAddress failures per address, any username (module default 50) */
        public void setMaxFailuresPerAddress(@Nullable Integer maxFailuresPerAddress) {
            this.maxFailuresPerAddress = maxFailuresPerAddress;
        }

        /** @return failures per username, any address; unset: not counted; null when not set */
        public @Nullable Integer getMaxFailuresPerUsername() {
            return maxFailuresPerUsername;
        }

        /** @param maxFailuresPerUsername failures per username, any address; unset: not counted */
        public void setMaxFailuresPerUsername(@Nullable Integer maxFailuresPerUsername) {
            this.maxFailuresPerUsername = maxFailuresPerUsername;
        }

        /** @return the window failures are counted in (module default 15m); null when not set */
        public @Nullable Duration getWindow() {
            return window;
        }

        /** @param window the window failures are counted in (module default 15m) */
        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        /** @return how long a block lasts (module default 15m); null when not set */
        public @Nullable Duration getBlockDuration() {
            return blockDuration;
        }

        /** @param blockDuration how long a block lasts (module default 15m) */
        public void setBlockDuration(@Nullable Duration blockDuration) {
            this.blockDuration = blockDuration;
        }

        /**
         * @return repeat offenders get doubling blocks up to this long; unset: every block lasts block-duration; null
         * when not set
         */
        public @Nullable Duration getGrowingBlocksMax() {
            return growingBlocksMax;
        }

        /**
         * @param growingBlocksMax repeat offenders get doubling blocks up to this long; unset: every block lasts
         * block-duration
         */
        public void setGrowingBlocksMax(@Nullable Duration growingBlocksMax) {
            this.growingBlocksMax = growingBlocksMax;
        }

        /**
         * @return while Redis is unavailable: local-share (count in memory with 1/instances of each maximum) or
         * fail-closed (refuse every attempt); null when not set
         */
        public @Nullable LoginOutagePolicy getOutagePolicy() {
            return outagePolicy;
        }

        /**
         * @param outagePolicy while Redis is unavailable: local-share (count in memory with 1/instances of each
         * maximum) or fail-closed (refuse every attempt)
         */
        public void setOutagePolicy(@Nullable LoginOutagePolicy outagePolicy) {
            this.outagePolicy = outagePolicy;
        }

        /**
         * @return instances sharing the counts, for local-share (default: resilience.ratelimit.instances); null when
         * not set
         */
        public @Nullable Integer getInstances() {
            return instances;
        }

        /** @param instances instances sharing the counts, for local-share (default: resilience.ratelimit.instances) */
        public void setInstances(@Nullable Integer instances) {
            this.instances = instances;
        }

        /** @return prefix of the login keys in Redis (module default login:); null when not set */
        public @Nullable String getKeyPrefix() {
            return keyPrefix;
        }

        /** @param keyPrefix prefix of the login keys in Redis (module default login:) */
        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }
    }
}
