/**
 * {@code @Retry}, {@code @CircuitBreaker}, {@code @Timeout} and {@code @Bulkhead} on Spring beans' methods, and the
 * {@link dev.resilience.spring.boot.annotation.AnnotationPolicy} SPI through which other modules add theirs.
 */
@NullMarked
package dev.resilience.spring.boot.annotation;

import org.jspecify.annotations.NullMarked;
