package dev.resilience.spring.boot.ratelimit;

import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * The advisor that puts {@link RateLimited} methods (and classes) behind their limiter. Spring's
 * auto-proxy creator applies it to every bean carrying the annotation.
 */
public final class RateLimitedAdvisor extends AbstractPointcutAdvisor {

    private static final long serialVersionUID = 1L;

    private final transient Pointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(null, RateLimited.class, true))
            .union(new AnnotationMatchingPointcut(RateLimited.class, true));
    private final transient Advice advice;

    /**
     * An advisor that finds the limiters when first called.
     *
     * @param limiters gives the limiters
     */
    public RateLimitedAdvisor(Supplier<RateLimiters> limiters) {
        this.advice = new RateLimitedInterceptor(limiters);
    }

    @Override
    public Pointcut getPointcut() {
        return pointcut;
    }

    @Override
    public Advice getAdvice() {
        return advice;
    }
}
