/**
 * Spring Boot auto-configuration for the resilience modules: each module present on the classpath is
 * wired from {@code resilience.*} properties, every bean is conditional and yields to one the
 * application defines itself.
 */
@NullMarked
package dev.resilience.spring.boot;

import org.jspecify.annotations.NullMarked;
