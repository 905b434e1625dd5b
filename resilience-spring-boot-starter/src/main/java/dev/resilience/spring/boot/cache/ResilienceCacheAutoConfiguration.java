package dev.resilience.spring.boot.cache;

import dev.resilience.cache.RedisCache;
import dev.resilience.cache.micrometer.CacheMetrics;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.redis.RedisConnection;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import dev.resilience.spring.boot.internal.SpringDataRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring's caching ({@code @EnableCaching}) on {@code resilience-cache}: a {@link ResilienceCacheManager}
 * (bean {@code resilienceCacheManager}) on a Redis connection from {@code spring.data.redis.*} (by parts, or
 * {@code spring.data.redis.url}), a {@link HealthCheck} bean {@code resilienceCacheHealthCheck} (a component
 * of the {@code resilience} health contributor) and, with Micrometer, the caches' {@code resilience.cache.*}
 * meters. Runs when resilience-cache is on the class path, caching is enabled, {@code spring.data.redis.url}
 * or {@code .host} is set and {@code resilience.cache.enabled} is not false; the manager only when the
 * application has no {@link CacheManager} of its own (unless {@code resilience.cache.manager=always}). Runs
 * before Spring Boot's cache auto-configuration, whose manager then backs off.
 */
@AutoConfiguration(after = ResilienceCoreAutoConfiguration.class,
        beforeName = "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration")
@ConditionalOnClass({RedisCache.class, CacheManager.class})
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnProperty(prefix = "resilience.cache", name = "enabled", havingValue = "true", matchIfMissing = true)
@Conditional(OnCacheRedisCondition.class)
@EnableConfigurationProperties(ResilienceCacheProperties.class)
public class ResilienceCacheAutoConfiguration {

    /** Creates no beans itself: see the nested configuration. */
    public ResilienceCacheAutoConfiguration() {
    }

    /** The manager and what comes with it, when the application has no cache manager (or {@code manager=always}). */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnResilienceCacheManagerCondition.class)
    static class ManagerConfiguration {

        /**
         * The Redis connection the caches share: {@code spring.data.redis.url}, or {@code host}, {@code port},
         * {@code username}, {@code password}, {@code ssl.enabled} and {@code database} (the password never goes
         * into a URI), with {@code resilience.cache.redis.command-timeout} (default 100 ms).
         */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(name = "resilienceCacheRedisConnection")
        RedisConnection<String, byte[]> resilienceCacheRedisConnection(Environment environment, ResilienceCacheProperties properties) {
            RedisConnection.Builder builder = RedisConnection.builder();
            SpringDataRedis.configure(environment, builder::uri, builder::server);
            ResilienceCacheProperties.Redis redis = properties.getRedis();
            wrap("resilience.cache.redis.command-timeout",
                    () -> builder.commandTimeout(Optional.ofNullable(redis.getCommandTimeout()).orElse(Duration.ofMillis(100))));
            Optional.ofNullable(redis.getConnectTimeout())
                    .ifPresent(timeout -> wrap("resilience.cache.redis.connect-timeout", () -> builder.connectTimeout(timeout)));
            return RedisCache.connect(builder);
        }

        @Bean
        ResilienceCacheManager resilienceCacheManager(ResilienceCacheProperties properties,
                                                      RedisConnection<String, byte[]> resilienceCacheRedisConnection,
                                                      BeanFactory beanFactory, ObjectProvider<ResilienceRegistry> registry) {
            CacheCodecs codecs = new CacheCodecs(ResilienceCacheAutoConfiguration.class.getClassLoader(),
                    () -> objectMapper(beanFactory));
            return new ResilienceCacheManager(properties, resilienceCacheRedisConnection, codecs, registry.getIfUnique());
        }

        @Bean
        @ConditionalOnMissingBean(name = "resilienceCacheHealthCheck")
        HealthCheck resilienceCacheHealthCheck(ResilienceCacheManager resilienceCacheManager) {
            return resilienceCacheManager.asHealthCheck();
        }

        /** The caches' meters, bound by the manager as each cache is created (Spring Boot's cache metrics do not know these caches). */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(MeterRegistry.class)
        static class MetricsConfiguration {

            @Bean
            SmartInitializingSingleton resilienceCacheMetrics(ResilienceCacheManager resilienceCacheManager,
                                                              ObjectProvider<MeterRegistry> registry) {
                return () -> {
                    MeterRegistry meters = registry.getIfUnique();
                    if (meters != null) {
                        resilienceCacheManager.onCacheCreated(cache -> new CacheMetrics(cache).bindTo(meters));
                    }
                };
            }
        }
    }

    private static @Nullable Object objectMapper(BeanFactory beanFactory) {
        try {
            return beanFactory.getBeanProvider(Class.forName("com.fasterxml.jackson.databind.ObjectMapper")).getIfUnique();
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static void wrap(String property, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }
}
