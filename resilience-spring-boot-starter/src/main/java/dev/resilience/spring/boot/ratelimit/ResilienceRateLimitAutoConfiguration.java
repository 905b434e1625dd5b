package dev.resilience.spring.boot.ratelimit;

import dev.resilience.core.HealthCheck;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.LoginProtection;
import dev.resilience.ratelimit.RateLimitListener;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimitServletFilter;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import dev.resilience.ratelimit.micrometer.RateLimitMetrics;
import dev.resilience.spring.boot.internal.SpringDataRedis;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Rate limiting from {@code resilience.ratelimit.*}: a {@link RedisBackend} from {@code spring.data.redis.*}
 * when that is set, the named limiters ({@link RateLimiters}: on Redis when there is a backend, in memory
 * otherwise), the servlet filter with its routes, a {@link LoginProtection}, the {@link RateLimited} advisor
 * and a health check. Every bean backs off when the application defines one of the same type (the filter:
 * of the same name, {@code rateLimitFilter}). Off with {@code resilience.ratelimit.enabled=false}.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass(RateLimiter.class)
@ConditionalOnProperty(prefix = "resilience.ratelimit", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(RateLimitProperties.class)
public class ResilienceRateLimitAutoConfiguration {

    /**
     * The Redis connection the limiters and login protection share, from {@code spring.data.redis.url}, or
     * {@code host}, {@code port}, {@code username}, {@code password}, {@code ssl.enabled} and {@code database}.
     *
     * @param environment where {@code spring.data.redis.*} is read
     * @param properties  {@code resilience.ratelimit.redis.*}
     * @return the backend; it connects in the background, so a Redis that is down does not fail start-up
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnSpringDataRedisCondition.class)
    public RedisBackend rateLimitRedisBackend(Environment environment, RateLimitProperties properties) {
        RedisBackend.Builder builder = RedisBackend.builder();
        SpringDataRedis.configure(environment, builder::uri, builder::server);
        Optional.ofNullable(properties.getRedis().getCommandTimeout()).ifPresent(builder::commandTimeout);
        Optional.ofNullable(properties.getRedis().getConnectTimeout()).ifPresent(builder::connectTimeout);
        return builder.build();
    }

    /**
     * The named limiters.
     *
     * @param properties {@code resilience.ratelimit.*}
     * @param backend    Redis, when there is a backend bean
     * @param listener   a listener (the Micrometer binding when Micrometer is there)
     * @return the limiters; Spring closes them on shutdown
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiters rateLimiters(RateLimitProperties properties, ObjectProvider<RedisBackend> backend,
                                     ObjectProvider<RateLimitListener> listener) {
        RedisBackend redis = properties.getRedis().isEnabled() ? backend.getIfUnique() : null;
        Map<String, RateLimiter> limiters = new LinkedHashMap<>();
        try {
            properties.getLimiters().forEach((name, spec) ->
                    limiters.put(name, limiter(name, spec, properties, redis, listener.getIfUnique())));
        } catch (RuntimeException e) {
            new RateLimiters(limiters).close();
            throw e;
        }
        return new RateLimiters(limiters);
    }

    private static RateLimiter limiter(String name, RateLimitProperties.Limiter spec, RateLimitProperties properties,
                                       @Nullable RedisBackend redis, @Nullable RateLimitListener listener) {
        String property = "resilience.ratelimit.limiters." + name;
        if (spec.getLimits().isEmpty()) {
            throw new IllegalArgumentException(property + " has no limits: set " + property + ".limits.<limit>.permits and .window");
        }
        List<Limit> limits = new ArrayList<>();
        spec.getLimits().forEach((limitName, limit) -> limits.add(limit(property + ".limits." + limitName, limitName, limit)));
        RateLimitPolicy policy = RateLimitPolicy.of(limits);
        if (redis == null) {
            InMemoryRateLimiter.Builder builder = InMemoryRateLimiter.builder(name, policy);
            Optional.ofNullable(listener).ifPresent(builder::listener);
            return builder.build();
        }
        RedisRateLimiter.Builder builder = RedisRateLimiter.builder(name, policy).backend(redis)
                .fallbackMode(spec.getFallbackMode() != null ? spec.getFallbackMode() : properties.getFallbackMode())
                .instances(spec.getInstances() != null ? spec.getInstances() : properties.getInstances());
        Optional.ofNullable(properties.getRedis().getKeyPrefix()).ifPresent(builder::keyPrefix);
        Optional.ofNullable(listener).ifPresent(builder::listener);
        return builder.build();
    }

    private static Limit limit(String property, String name, RateLimitProperties.LimitSpec spec) {
        if (spec.getWindow() == null) {
            throw new IllegalArgumentException(property + ".window is missing (for example 15m)");
        }
        try {
            return switch (spec.getAlgorithm()) {
                case SLIDING_WINDOW -> Limit.slidingWindow(name, spec.getPermits(), spec.getWindow());
                case FIXED_WINDOW -> Limit.fixedWindow(name, spec.getPermits(), spec.getWindow());
                case TOKEN_BUCKET -> Limit.tokenBucket(name, spec.getCapacity() != null ? spec.getCapacity() : spec.getPermits(),
                        spec.getPermits(), spec.getWindow());
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    /**
     * The limiters' health as a core health check bean.
     *
     * @param limiters the limiters
     * @return the worst of their health checks
     */
    @Bean
    @ConditionalOnMissingBean(name = "rateLimitersHealthCheck")
    public HealthCheck rateLimitersHealthCheck(RateLimiters limiters) {
        return limiters.asHealthCheck();
    }

    /**
     * Login brute-force protection, on the Redis backend when there is one, else in memory.
     *
     * @param properties {@code resilience.ratelimit.login.*}
     * @param backend    Redis, when there is a backend bean
     * @return the protection
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "resilience.ratelimit.login", name = "enabled", havingValue = "true", matchIfMissing = true)
    public LoginProtection loginProtection(RateLimitProperties properties, ObjectProvider<RedisBackend> backend) {
        RateLimitProperties.Login login = properties.getLogin();
        LoginProtection.Builder builder = LoginProtection.builder();
        RedisBackend redis = properties.getRedis().isEnabled() ? backend.getIfUnique() : null;
        Optional.ofNullable(redis).ifPresent(builder::redis);
        Optional.ofNullable(login.getMaxFailures()).ifPresent(builder::maxFailures);
        Optional.ofNullable(login.getMaxFailuresPerAddress()).ifPresent(builder::maxFailuresPerAddress);
        Optional.ofNullable(login.getMaxFailuresPerUsername()).ifPresent(builder::maxFailuresPerUsername);
        Optional.ofNullable(login.getWindow()).ifPresent(builder::window);
        Optional.ofNullable(login.getBlockDuration()).ifPresent(builder::blockDuration);
        Optional.ofNullable(login.getGrowingBlocksMax()).ifPresent(builder::growingBlocks);
        Optional.ofNullable(login.getOutagePolicy()).ifPresent(builder::outagePolicy);
        Optional.ofNullable(login.getKeyPrefix()).ifPresent(builder::keyPrefix);
        builder.instances(login.getInstances() != null ? login.getInstances() : properties.getInstances());
        return builder.build();
    }

    /**
     * Puts {@link RateLimited} methods behind their limiter.
     *
     * @param limiters found when the first annotated method is called
     * @return the advisor
     */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    public static RateLimitedAdvisor rateLimitedAdvisor(ObjectProvider<RateLimiters> limiters) {
        return new RateLimitedAdvisor(limiters::getObject);
    }

    /**
     * Fails start-up when a {@link RateLimited} names no configured limiter.
     *
     * @param beanFactory where the annotated beans are found
     * @param limiters    the configured limiters
     * @return the check
     */
    @Bean
    static RateLimitedValidator rateLimitedValidator(ConfigurableListableBeanFactory beanFactory, ObjectProvider<RateLimiters> limiters) {
        return new RateLimitedValidator(beanFactory, limiters::getObject);
    }

    /** Counts decisions in Micrometer when it is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class RateLimitMetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean(RateLimitListener.class)
        @ConditionalOnBean(MeterRegistry.class)
        RateLimitMetrics rateLimitMetrics(MeterRegistry registry) {
            return new RateLimitMetrics(registry);
        }
    }

    /** The servlet filter, registered when at least one route is configured. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({jakarta.servlet.Filter.class, FilterRegistrationBean.class})
    @ConditionalOnProperty(prefix = "resilience.ratelimit.filter", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class RateLimitFilterConfiguration {

        /**
         * The routes, exclusions, address lists and client address rules of {@code resilience.ratelimit.filter.*}.
         *
         * @param properties {@code resilience.ratelimit.*}
         * @param limiters   the limiters the routes name
         * @return the rules
         */
        @Bean
        @ConditionalOnMissingBean
        @Conditional(OnRoutesCondition.class)
        RateLimitRules rateLimitRules(RateLimitProperties properties, RateLimiters limiters) {
            return RateLimitRulesFactory.rules(properties.getFilter(), limiters);
        }

        @Bean
        @ConditionalOnMissingBean(name = "rateLimitFilter")
        @ConditionalOnBean(RateLimitRules.class)
        FilterRegistrationBean<RateLimitServletFilter> rateLimitFilter(RateLimitRules rules, RateLimitProperties properties) {
            FilterRegistrationBean<RateLimitServletFilter> registration = new FilterRegistrationBean<>(new RateLimitServletFilter(rules));
            registration.setName("rateLimitFilter");
            registration.setOrder(properties.getFilter().getOrder());
            registration.setUrlPatterns(properties.getFilter().getUrlPatterns());
            return registration;
        }
    }
}
