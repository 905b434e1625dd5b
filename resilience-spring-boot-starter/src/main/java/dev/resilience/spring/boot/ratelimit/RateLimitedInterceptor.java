package dev.resilience.spring.boot.ratelimit;

import dev.resilience.ratelimit.Decision;
import dev.resilience.ratelimit.RateLimitedException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Runs a {@link RateLimited} method only when its limiter admits the call. The limiters are looked up
 * lazily, so creating the advisor does not create them early.
 *
 * <p>Thread-safe.
 */
final class RateLimitedInterceptor implements MethodInterceptor {

    private final Supplier<RateLimiters> limiters;

    RateLimitedInterceptor(Supplier<RateLimiters> limiters) {
        this.limiters = limiters;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Class<?> target = invocation.getThis() == null ? method.getDeclaringClass() : AopUtils.getTargetClass(invocation.getThis());
        RateLimited annotation = find(AopUtils.getMostSpecificMethod(method, target), target);
        if (annotation == null) {
            return invocation.proceed();
        }
        String key = annotation.key().isEmpty() ? annotation.value() : annotation.key();
        Decision decision = limiters.get().get(annotation.value()).tryAcquire(key, 1);
        if (decision.allowed()) {
            return invocation.proceed();
        }
        RateLimitedException rejection = new RateLimitedException(annotation.value(), decision);
        if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
            return CompletableFuture.failedFuture(rejection);
        }
        throw rejection;
    }

    /** The method's annotation, else its class'. */
    static RateLimited find(Method method, Class<?> type) {
        RateLimited onMethod = AnnotatedElementUtils.findMergedAnnotation(method, RateLimited.class);
        return onMethod != null ? onMethod : AnnotatedElementUtils.findMergedAnnotation(type, RateLimited.class);
    }
}
