package dev.resilience.spring.boot.cache;

import java.util.Arrays;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code resilience.cache.manager} is {@code always}, or it is {@code auto} (the default), the
 * application has no {@link CacheManager} bean of its own and {@code spring.cache.type} is unset (the
 * application chose one of Spring Boot's caches, or {@code none}). Judged once the application's beans are
 * registered.
 */
final class OnResilienceCacheManagerCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        ResilienceCacheProperties.ManagerMode mode = binder.bind("resilience.cache.manager", ResilienceCacheProperties.ManagerMode.class)
                .orElse(ResilienceCacheProperties.ManagerMode.AUTO);
        if (mode == ResilienceCacheProperties.ManagerMode.ALWAYS) {
            return ConditionOutcome.match("resilience.cache.manager is always");
        }
        if (binder.bind("spring.cache.type", String.class).isBound()) {
            return ConditionOutcome.noMatch("spring.cache.type is set");
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        String[] own = beans == null ? new String[0] : beans.getBeanNamesForType(CacheManager.class, true, false);
        return own.length > 0 ? ConditionOutcome.noMatch("the application has CacheManager " + Arrays.toString(own))
                : ConditionOutcome.match("no CacheManager bean");
    }
}
