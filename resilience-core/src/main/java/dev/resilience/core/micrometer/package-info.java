/**
 * Micrometer {@code MeterBinder}s for the core policies. Micrometer is an optional dependency of
 * {@code resilience-core}: add {@code io.micrometer:micrometer-core} to use this package; nothing else in
 * core refers to it.
 *
 * <p>Every meter is named {@code resilience.<policy>.<what>} and tagged only with {@code name} (the
 * policy's name), {@code kind} (the policy type) and, where it applies, {@code result} (a small fixed
 * set) or {@code state}, so cardinality stays bounded.
 */
@NullMarked
package dev.resilience.core.micrometer;

import org.jspecify.annotations.NullMarked;
