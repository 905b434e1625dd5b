package dev.resilience.examples.springboot;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where prices come from: by default this service's own {@code /upstream} endpoint, which fails as often as
 * {@code pricing.failure-every} says, to show the retry and the breaker at work.
 *
 * @param url          the pricing service's base URL (default: this service's own port)
 * @param failureEvery the fake upstream fails every n-th request (0: never, 1: always)
 */
@ConfigurationProperties("pricing")
public record PricingProperties(@Nullable String url, @DefaultValue("3") int failureEvery) {
}
