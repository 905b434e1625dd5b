package dev.resilience.spring.boot.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a Spring bean's method: bounds each call of the method (each attempt, inside a retry) by the timeout instance called {@code name}, configured under
 * {@code resilience.timeout.instances.<name>.*}. Works on methods returning a value (or void) and on
 * methods returning {@code CompletionStage} or {@code CompletableFuture}. With other annotations of this
 * package on the same method the order is fixed (see {@link AnnotationPolicy#TIMEOUT}), whatever order they are written in.
 * An unknown name or a fallback method that does not fit fails the application context at start-up.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Timeout {

    /**
     * The instance: {@code resilience.timeout.instances.<name>} must be configured (unless
     * {@code resilience.annotations.require-declared-instances=false}).
     *
     * @return the instance name
     */
    String name();

    /**
     * A method of the same bean called with the method's arguments plus the failure (a last parameter of an
     * exception type), returning what the method returns; called with whatever still fails after every
     * policy on the method. Empty: none.
     *
     * @return the fallback method's name
     */
    String fallbackMethod() default "";
}
