package dev.resilience.spring.boot.annotation;

import dev.resilience.core.Policy;
import java.lang.annotation.Annotation;

/**
 * Makes one method annotation work: a bean of this type tells the starter which annotation it handles,
 * where its policy sits in the chain and which policy an annotation stands for. The starter finds every
 * annotated method of every bean at start-up, asks each handler for its policy, composes them with
 * {@code Resilience.of(...)} in {@link #order()} (lower runs outer) and applies at most one fallback method,
 * outermost. So another module adds its annotation with one bean of this type and nothing else.
 *
 * <p>The starter's own, in core's composition order:
 * {@link #RETRY} (100) -> {@link #CIRCUIT_BREAKER} (200) -> {@link #RATE_LIMITED} (300) -> {@link #TIMEOUT} (400,
 * per attempt) -> {@link #BULKHEAD} (500) -> the method. Implementations must be thread-safe.
 *
 * @param <A> the annotation type
 */
public interface AnnotationPolicy<A extends Annotation> {

    /** Order of {@code @Retry}: outermost, so it sees every attempt and the breaker's rejections. */
    int RETRY = 100;
    /** Order of {@code @CircuitBreaker}: records every attempt, timeouts included. */
    int CIRCUIT_BREAKER = 200;
    /** Order reserved for {@code @RateLimited}: each attempt takes a permit. */
    int RATE_LIMITED = 300;
    /** Order of {@code @Timeout}: bounds each attempt. */
    int TIMEOUT = 400;
    /** Order of {@code @Bulkhead}: innermost, holds a slot only while an attempt runs. */
    int BULKHEAD = 500;

    /**
     * The annotation handled.
     *
     * @return the annotation type
     */
    Class<A> annotationType();

    /**
     * Where the policy sits: lower runs outer.
     *
     * @return the order
     */
    int order();

    /**
     * The fallback method the annotation names.
     *
     * @param annotation the annotation found on a method
     * @return its name, empty for none
     */
    String fallbackMethod(A annotation);

    /**
     * The policy the annotation stands for, resolved once at start-up.
     *
     * @param annotation the annotation found on a method
     * @return the policy
     * @throws IllegalArgumentException saying what is wrong (e.g. naming the unknown instance and its
     *                                  property); the starter adds the bean and method
     */
    Policy policy(A annotation);
}
