package dev.resilience.spring.boot.ratelimit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits calls of a Spring bean's method (or of every public method of a class) with the named limiter of
 * {@code resilience.ratelimit.limiters.<name>}. Each call takes one permit under {@link #key()}; a rejected
 * call does not run and throws {@link dev.resilience.ratelimit.RateLimitedException} (a method returning a
 * {@code CompletionStage} returns one failed with it instead). An unknown limiter name fails the context at
 * start-up with a message naming the bean, the method and the property to set.
 *
 * <p>Works on calls through the Spring proxy (not on a bean's calls to itself), like every Spring AOP annotation.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RateLimited {

    /**
     * The limiter.
     *
     * @return the limiter's name in {@code resilience.ratelimit.limiters}
     */
    String value();

    /**
     * The key the permits are counted under.
     *
     * @return the key; empty (the default) shares one count among all callers: the limiter's name
     */
    String key() default "";
}
