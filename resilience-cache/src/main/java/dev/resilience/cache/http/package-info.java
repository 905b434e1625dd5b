/** The cache's operator endpoints ({@code /cache/status}, {@code /cache/clear}) for the JDK {@code HttpServer}. */
@NullMarked
package dev.resilience.cache.http;

import org.jspecify.annotations.NullMarked;
