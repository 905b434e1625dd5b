package dev.resilience.spring.boot.annotation;

import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.boot.BulkheadProperties;
import dev.resilience.spring.boot.CircuitBreakerProperties;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import dev.resilience.spring.boot.RetryProperties;
import dev.resilience.spring.boot.TimeoutProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * {@link Retry @Retry}, {@link CircuitBreaker @CircuitBreaker}, {@link Timeout @Timeout} and
 * {@link Bulkhead @Bulkhead} on Spring beans' methods, by instance name of the {@link ResilienceRegistry} bean.
 * Off with {@code resilience.annotations.enabled=false}; each handler yields to an application bean of its type.
 */
@AutoConfiguration(after = ResilienceCoreAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.aop.framework.ProxyFactory")
@ConditionalOnProperty(prefix = "resilience.annotations", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(AnnotationProperties.class)
public class ResilienceAnnotationsAutoConfiguration {

    /**
     * The post-processor that proxies annotated beans (static: post-processors are created before other beans).
     *
     * @param handlers every {@link AnnotationPolicy} bean
     * @return the post-processor
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static ResilienceAnnotationBeanPostProcessor resilienceAnnotationBeanPostProcessor(
            ObjectProvider<AnnotationPolicy<?>> handlers) {
        return new ResilienceAnnotationBeanPostProcessor(handlers);
    }

    /**
     * {@code @Retry}.
     *
     * @param registry   the policies
     * @param properties the declared instances
     * @param settings   {@code resilience.annotations.*}
     * @return the handler (static, infrastructure: the post-processor needs it before other beans)
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ResilienceRegistry.class)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static RetryAnnotationPolicy retryAnnotationPolicy(ObjectProvider<ResilienceRegistry> registry,
            ObjectProvider<RetryProperties> properties, AnnotationProperties settings) {
        return new RetryAnnotationPolicy(registry::getObject, () -> properties.getObject().getInstances().keySet(),
                settings.isRequireDeclaredInstances());
    }

    /**
     * {@code @CircuitBreaker}.
     *
     * @param registry   the policies
     * @param properties the declared instances
     * @param settings   {@code resilience.annotations.*}
     * @return the handler (static, infrastructure: the post-processor needs it before other beans)
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ResilienceRegistry.class)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static CircuitBreakerAnnotationPolicy circuitBreakerAnnotationPolicy(ObjectProvider<ResilienceRegistry> registry,
            ObjectProvider<CircuitBreakerProperties> properties, AnnotationProperties settings) {
        return new CircuitBreakerAnnotationPolicy(registry::getObject, () -> properties.getObject().getInstances().keySet(),
                settings.isRequireDeclaredInstances());
    }

    /**
     * {@code @Timeout}.
     *
     * @param registry   the policies
     * @param properties the declared instances
     * @param settings   {@code resilience.annotations.*}
     * @return the handler (static, infrastructure: the post-processor needs it before other beans)
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ResilienceRegistry.class)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static TimeoutAnnotationPolicy timeoutAnnotationPolicy(ObjectProvider<ResilienceRegistry> registry,
            ObjectProvider<TimeoutProperties> properties, AnnotationProperties settings) {
        return new TimeoutAnnotationPolicy(registry::getObject, () -> properties.getObject().getInstances().keySet(),
                settings.isRequireDeclaredInstances());
    }

    /**
     * {@code @Bulkhead}.
     *
     * @param registry   the policies
     * @param properties the declared instances
     * @param settings   {@code resilience.annotations.*}
     * @return the handler (static, infrastructure: the post-processor needs it before other beans)
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(ResilienceRegistry.class)
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static BulkheadAnnotationPolicy bulkheadAnnotationPolicy(ObjectProvider<ResilienceRegistry> registry,
            ObjectProvider<BulkheadProperties> properties, AnnotationProperties settings) {
        return new BulkheadAnnotationPolicy(registry::getObject, () -> properties.getObject().getInstances().keySet(),
                settings.isRequireDeclaredInstances());
    }
}
