package dev.resilience.spring.boot.ratelimit;

import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks at start-up that every {@link RateLimited} names a configured limiter, so a typo fails the context
 * with a message naming the bean, the method and the property to set, instead of failing the first call.
 */
final class RateLimitedValidator implements SmartInitializingSingleton {

    private final ConfigurableListableBeanFactory beanFactory;
    private final Supplier<RateLimiters> limiters;

    RateLimitedValidator(ConfigurableListableBeanFactory beanFactory, Supplier<RateLimiters> limiters) {
        this.beanFactory = beanFactory;
        this.limiters = limiters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (String name : beanFactory.getBeanDefinitionNames()) {
            Class<?> type = beanFactory.getType(name, false);
            if (type == null) {
                continue;
            }
            Class<?> user = ClassUtils.getUserClass(type);
            check(name, user, null, AnnotatedElementUtils.findMergedAnnotation(user, RateLimited.class));
            ReflectionUtils.doWithMethods(user, method -> check(name, user, method, method.getAnnotation(RateLimited.class)),
                    method -> method.isAnnotationPresent(RateLimited.class));
        }
    }

    private void check(String bean, Class<?> type, @Nullable Method method, @Nullable RateLimited annotation) {
        if (annotation != null && !limiters.get().contains(annotation.value())) {
            String where = method == null ? type.getName() : type.getName() + "." + method.getName() + "()";
            throw new IllegalStateException("@RateLimited(\"" + annotation.value() + "\") on bean '" + bean + "' (" + where
                    + ") names no configured limiter: define resilience.ratelimit.limiters." + annotation.value()
                    + ".limits.<limit>.permits and .window (configured: " + limiters.get().names() + ")");
        }
    }
}
