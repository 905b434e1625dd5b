package dev.resilience.spring.boot.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code resilience.cache.*}: the caches of the {@link ResilienceCacheManager}, their defaults and the Redis
 * timeouts (the server itself comes from {@code spring.data.redis.*}). Settings left unset keep
 * {@code resilience-cache}'s defaults; an unknown key or a bad value fails start-up naming the key. Not
 * thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.cache", ignoreUnknownFields = false)
public class ResilienceCacheProperties {

    /** Whether the cache auto-configuration runs at all. */
    private boolean enabled = true;

    /** auto: the CacheManager is registered only when the application has none (and spring.cache.type is unset); always: also next to the application's own, as bean resilienceCacheManager. */
    private ManagerMode manager = ManagerMode.AUTO;

    /** Caches created at start-up with the defaults (every key of caches is created too). */
    private List<String> cacheNames = new ArrayList<>();

    /** Whether a cache not named in cache-names or caches is created on first use, with the defaults; false: such a name is unknown to the CacheManager. */
    private boolean dynamic = true;

    /** Settings every cache starts from. */
    @NestedConfigurationProperty
    private CacheSettings defaults = new CacheSettings();

    /** Caches by name, created at start-up; each setting left unset is taken from defaults. */
    private Map<String, CacheSettings> caches = new LinkedHashMap<>();

    /** The Redis timeouts; the server comes from spring.data.redis.*. */
    @NestedConfigurationProperty
    private Redis redis = new Redis();

    /**
     * Whether the cache auto-configuration runs at all.
     *
     * @return the setting
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets: whether the cache auto-configuration runs at all.
     *
     * @param enabled the setting
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * auto: the CacheManager is registered only when the application has none (and spring.cache.type is unset); always: also next to the application's own, as bean resilienceCacheManager.
     *
     * @return the setting
     */
    public ManagerMode getManager() {
        return manager;
    }

    /**
     * Sets: auto: the CacheManager is registered only when the application has none (and spring.cache.type is unset); always: also next to the application's own, as bean resilienceCacheManager.
     *
     * @param manager the setting
     */
    public void setManager(ManagerMode manager) {
        this.manager = manager;
    }

    /**
     * Caches created at start-up with the defaults (every key of caches is created too).
     *
     * @return the setting
     */
    public List<String> getCacheNames() {
        return cacheNames;
    }

    /**
     * Sets: caches created at start-up with the defaults (every key of caches is created too).
     *
     * @param cacheNames the setting
     */
    public void setCacheNames(List<String> cacheNames) {
        this.cacheNames = cacheNames;
    }

    /**
     * Whether a cache not named in cache-names or caches is created on first use, with the defaults; false: such a name is unknown to the CacheManager.
     *
     * @return the setting
     */
    public boolean isDynamic() {
        return dynamic;
    }

    /**
     * Sets: whether a cache not named in cache-names or caches is created on first use, with the defaults; false: such a name is unknown to the CacheManager.
     *
     * @param dynamic the setting
     */
    public void setDynamic(boolean dynamic) {
        this.dynamic = dynamic;
    }

    /**
     * Settings every cache starts from.
     *
     * @return the defaults
     */
    public CacheSettings getDefaults() {
        return defaults;
    }

    /**
     * Sets the settings every cache starts from.
     *
     * @param defaults the defaults
     */
    public void setDefaults(CacheSettings defaults) {
        this.defaults = defaults;
    }

    /**
     * Caches by name, created at start-up.
     *
     * @return the caches' settings
     */
    public Map<String, CacheSettings> getCaches() {
        return caches;
    }

    /**
     * Sets the caches by name.
     *
     * @param caches the caches' settings
     */
    public void setCaches(Map<String, CacheSettings> caches) {
        this.caches = caches;
    }

    /**
     * The Redis timeouts.
     *
     * @return the Redis settings
     */
    public Redis getRedis() {
        return redis;
    }

    /**
     * Sets the Redis timeouts.
     *
     * @param redis the Redis settings
     */
    public void setRedis(Redis redis) {
        this.redis = redis;
    }

    /** When the {@link ResilienceCacheManager} is registered. */
    public enum ManagerMode {
        /** Only when the application has no {@code CacheManager} and {@code spring.cache.type} is unset. */
        AUTO,
        /** Also next to the application's own {@code CacheManager} (mark one {@code @Primary}). */
        ALWAYS
    }

    /** The settings of one cache, {@code resilience.cache.defaults.*} or {@code resilience.cache.caches.<name>.*}. */
    public static class CacheSettings {

        /** How long a value is fresh (module default 10m). */
        private @Nullable Duration ttl;

        /** The largest share of the TTL taken off each value at random, 0 to 0.5 (module default 0.1). */
        private @Nullable Double ttlJitter;

        /** How long a null (a method that returned null) is remembered, 0 for not at all (module default 30s); with allow-null-values false nulls are never cached. */
        private @Nullable Duration nullValueTtl;

        /** Whether nulls are cached, as Spring's allowNullValues (default true); false: putting a null fails, as in Spring's own caches. */
        private @Nullable Boolean allowNullValues;

        /** How long past its TTL a value is still served while one caller reloads it in the background (module default 0). */
        private @Nullable Duration staleWhileRevalidate;

        /** How long past its TTL a value is served when reloading it fails (module default 0). */
        private @Nullable Duration staleIfError;

        /** XFetch early refresh: above 1 refreshes earlier, 0 turns it off (module default 1). */
        private @Nullable Double earlyRefreshBeta;

        /** How long one instance may load a key while the others wait for its value, 0 for no lease (module default 5s). */
        private @Nullable Duration lease;

        /** What every Redis key of the cache starts with; give each service its own (module default cache:). */
        private @Nullable String keyPrefix;

        /** The version in every key: bump it when the cached type changes shape (module default 1). */
        private @Nullable Integer namespaceVersion;

        /** Store values as JSON of this type through the application's Jackson ObjectMapper; unset: Java serialization (values must be Serializable). */
        private @Nullable Class<?> valueType;

        /** Name of a circuit breaker of the resilience registry (resilience.circuitbreaker.instances.*) to put around Redis; unset: the module's own (opens at 50 % of the last 20 calls, open 1s doubling to 10s). */
        private @Nullable String circuitBreaker;

        /** The local (in-process) tier. */
        @NestedConfigurationProperty
        private LocalTier localTier = new LocalTier();

        /**
         * How long a value is fresh (module default 10m).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getTtl() {
            return ttl;
        }

        /**
         * Sets: how long a value is fresh (module default 10m).
         *
         * @param ttl the setting
         */
        public void setTtl(@Nullable Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * The largest share of the TTL taken off each value at random, 0 to 0.5 (module default 0.1).
         *
         * @return the setting; null: the default
         */
        public @Nullable Double getTtlJitter() {
            return ttlJitter;
        }

        /**
         * Sets: the largest share of the TTL taken off each value at random, 0 to 0.5 (module default 0.1).
         *
         * @param ttlJitter the setting
         */
        public void setTtlJitter(@Nullable Double ttlJitter) {
            this.ttlJitter = ttlJitter;
        }

        /**
         * How long a null (a method that returned null) is remembered, 0 for not at all (module default 30s); with allow-null-values false nulls are never cached.
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getNullValueTtl() {
            return nullValueTtl;
        }

        /**
         * Sets: how long a null (a method that returned null) is remembered, 0 for not at all (module default 30s); with allow-null-values false nulls are never cached.
         *
         * @param nullValueTtl the setting
         */
        public void setNullValueTtl(@Nullable Duration nullValueTtl) {
            this.nullValueTtl = nullValueTtl;
        }

        /**
         * Whether nulls are cached, as Spring's allowNullValues (default true); false: putting a null fails, as in Spring's own caches.
         *
         * @return the setting; null: the default
         */
        public @Nullable Boolean getAllowNullValues() {
            return allowNullValues;
        }

        /**
         * Sets: whether nulls are cached, as Spring's allowNullValues (default true); false: putting a null fails, as in Spring's own caches.
         *
         * @param allowNullValues the setting
         */
        public void setAllowNullValues(@Nullable Boolean allowNullValues) {
            this.allowNullValues = allowNullValues;
        }

        /**
         * How long past its TTL a value is still served while one caller reloads it in the background (module default 0).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getStaleWhileRevalidate() {
            return staleWhileRevalidate;
        }

        /**
         * Sets: how long past its TTL a value is still served while one caller reloads it in the background (module default 0).
         *
         * @param staleWhileRevalidate the setting
         */
        public void setStaleWhileRevalidate(@Nullable Duration staleWhileRevalidate) {
            this.staleWhileRevalidate = staleWhileRevalidate;
        }

        /**
         * How long past its TTL a value is served when reloading it fails (module default 0).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getStaleIfError() {
            return staleIfError;
        }

        /**
         * Sets: how long past its TTL a value is served when reloading it fails (module default 0).
         *
         * @param staleIfError the setting
         */
        public void setStaleIfError(@Nullable Duration staleIfError) {
            this.staleIfError = staleIfError;
        }

        /**
         * XFetch early refresh: above 1 refreshes earlier, 0 turns it off (module default 1).
         *
         * @return the setting; null: the default
         */
        public @Nullable Double getEarlyRefreshBeta() {
            return earlyRefreshBeta;
        }

        /**
         * Sets: xFetch early refresh: above 1 refreshes earlier, 0 turns it off (module default 1).
         *
         * @param earlyRefreshBeta the setting
         */
        public void setEarlyRefreshBeta(@Nullable Double earlyRefreshBeta) {
            this.earlyRefreshBeta = earlyRefreshBeta;
        }

        /**
         * How long one instance may load a key while the others wait for its value, 0 for no lease (module default 5s).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getLease() {
            return lease;
        }

        /**
         * Sets: how long one instance may load a key while the others wait for its value, 0 for no lease (module default 5s).
         *
         * @param lease the setting
         */
        public void setLease(@Nullable Duration lease) {
            this.lease = lease;
        }

        /**
         * What every Redis key of the cache starts with; give each service its own (module default cache:).
         *
         * @return the setting; null: the default
         */
        public @Nullable String getKeyPrefix() {
            return keyPrefix;
        }

        /**
         * Sets: what every Redis key of the cache starts with; give each service its own (module default cache:).
         *
         * @param keyPrefix the setting
         */
        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * The version in every key: bump it when the cached type changes shape (module default 1).
         *
         * @return the setting; null: the default
         */
        public @Nullable Integer getNamespaceVersion() {
            return namespaceVersion;
        }

        /**
         * Sets: the version in every key: bump it when the cached type changes shape (module default 1).
         *
         * @param namespaceVersion the setting
         */
        public void setNamespaceVersion(@Nullable Integer namespaceVersion) {
            this.namespaceVersion = namespaceVersion;
        }

        /**
         * Store values as JSON of this type through the application's Jackson ObjectMapper; unset: Java serialization (values must be Serializable).
         *
         * @return the setting; null: the default
         */
        public @Nullable Class<?> getValueType() {
            return valueType;
        }

        /**
         * Sets: store values as JSON of this type through the application's Jackson ObjectMapper; unset: Java serialization (values must be Serializable).
         *
         * @param valueType the setting
         */
        public void setValueType(@Nullable Class<?> valueType) {
            this.valueType = valueType;
        }

        /**
         * Name of a circuit breaker of the resilience registry (resilience.circuitbreaker.instances.*) to put around Redis; unset: the module's own (opens at 50 % of the last 20 calls, open 1s doubling to 10s).
         *
         * @return the setting; null: the default
         */
        public @Nullable String getCircuitBreaker() {
            return circuitBreaker;
        }

        /**
         * Sets: name of a circuit breaker of the resilience registry (resilience.circuitbreaker.instances.*) to put around Redis; unset: the module's own (opens at 50 % of the last 20 calls, open 1s doubling to 10s).
         *
         * @param circuitBreaker the setting
         */
        public void setCircuitBreaker(@Nullable String circuitBreaker) {
            this.circuitBreaker = circuitBreaker;
        }

        /**
         * The local (in-process) tier.
         *
         * @return its settings
         */
        public LocalTier getLocalTier() {
            return localTier;
        }

        /**
         * Sets the local tier.
         *
         * @param localTier its settings
         */
        public void setLocalTier(LocalTier localTier) {
            this.localTier = localTier;
        }
    }

    /** The local tier of a cache: {@code ...local-tier.*}. */
    public static class LocalTier {

        /** Whether the cache has a local (in-process) tier in front of Redis (default false). */
        private @Nullable Boolean enabled;

        /** The local tier's size bound (default 10000). */
        private @Nullable Long maxEntries;

        /** How long the local tier keeps a value: the bound on how long an instance serves a value another instance invalidated (default 5s). */
        private @Nullable Duration ttl;

        /**
         * Whether the cache has a local (in-process) tier in front of Redis (default false).
         *
         * @return the setting; null: the default
         */
        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets: whether the cache has a local (in-process) tier in front of Redis (default false).
         *
         * @param enabled the setting
         */
        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The local tier's size bound (default 10000).
         *
         * @return the setting; null: the default
         */
        public @Nullable Long getMaxEntries() {
            return maxEntries;
        }

        /**
         * Sets: the local tier's size bound (default 10000).
         *
         * @param maxEntries the setting
         */
        public void setMaxEntries(@Nullable Long maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * How long the local tier keeps a value: the bound on how long an instance serves a value another instance invalidated (default 5s).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getTtl() {
            return ttl;
        }

        /**
         * Sets: how long the local tier keeps a value: the bound on how long an instance serves a value another instance invalidated (default 5s).
         *
         * @param ttl the setting
         */
        public void setTtl(@Nullable Duration ttl) {
            this.ttl = ttl;
        }
    }

    /** {@code resilience.cache.redis.*}: timeouts; the server comes from {@code spring.data.redis.*}. */
    public static class Redis {

        /** How long a Redis command may take before the cache answers without Redis (default 100ms). */
        private @Nullable Duration commandTimeout;

        /** How long connecting may take (module default 1s). */
        private @Nullable Duration connectTimeout;

        /**
         * How long a Redis command may take before the cache answers without Redis (default 100ms).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getCommandTimeout() {
            return commandTimeout;
        }

        /**
         * Sets: how long a Redis command may take before the cache answers without Redis (default 100ms).
         *
         * @param commandTimeout the setting
         */
        public void setCommandTimeout(@Nullable Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        /**
         * How long connecting may take (module default 1s).
         *
         * @return the setting; null: the default
         */
        public @Nullable Duration getConnectTimeout() {
            return connectTimeout;
        }

        /**
         * Sets: how long connecting may take (module default 1s).
         *
         * @param connectTimeout the setting
         */
        public void setConnectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }
    }
}
