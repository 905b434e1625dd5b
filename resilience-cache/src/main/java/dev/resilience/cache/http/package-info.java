/** The cache's operator endpoints ({@code /cache/status}, {@code /cache/clear}) for the JDK {@code HttpServer}. */
package dev.resilience.cache.http;
