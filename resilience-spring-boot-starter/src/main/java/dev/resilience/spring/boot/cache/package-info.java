/**
 * Spring's cache abstraction on {@code resilience-cache}: a {@link org.springframework.cache.CacheManager}
 * ({@link dev.resilience.spring.boot.cache.ResilienceCacheManager}) whose caches are
 * {@link dev.resilience.cache.RedisCache}s configured from {@code resilience.cache.*}, so {@code @Cacheable},
 * {@code @CachePut} and {@code @CacheEvict} keep answering while Redis is down and a hot key reaches the
 * method once per instance ({@code sync = true}). Redis comes from {@code spring.data.redis.*}.
 */
@NullMarked
package dev.resilience.spring.boot.cache;

import org.jspecify.annotations.NullMarked;
