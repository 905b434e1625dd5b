package dev.resilience.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker;
import io.github.resilience4j.retry.annotation.Retry;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.retry.autoconfigure.RetryAutoConfiguration;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The Resilience4j side of the README's side-by-side works as counted: {@code r4j-equivalent.yml} plus the
 * annotated client below give the same behaviour as the example's pricing client (three attempts, a breaker
 * opening at 50 % of 10 calls, the list price once everything failed).
 */
class R4jEquivalentTest {

    /** The Resilience4j version of {@link PricingClient#price}: the upstream here always fails. */
    public static class R4jPricingClient {
        final AtomicInteger upstreamCalls = new AtomicInteger();

        public int upstreamCalls() {
            return upstreamCalls.get();
        }

        // fallback on @Retry, the outer aspect: on @CircuitBreaker it would run inside the retry and hide
        // every failure from it
        @Retry(name = "pricing", fallbackMethod = "listPrice")
        @CircuitBreaker(name = "pricing")
        public PricingClient.Price price(String sku) {
            upstreamCalls.incrementAndGet();
            throw new IllegalStateException("503 from upstream");
        }

        PricingClient.Price listPrice(String sku, Exception e) {
            return new PricingClient.Price(new BigDecimal("10.00"), "list price (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Test
    void theResilience4jConfigurationBehavesLikeOurs() {
        new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues("spring.config.name=r4j-equivalent")
                .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
                        RetryAutoConfiguration.class))
                .withBean(R4jPricingClient.class)
                .run(context -> {
                    R4jPricingClient client = context.getBean(R4jPricingClient.class);
                    assertThat(client.price("A-1").source()).isEqualTo("list price (IllegalStateException)");
                    assertThat(client.upstreamCalls()).isEqualTo(3);
                    String source = "";
                    for (int i = 0; i < 4; i++) {
                        source = client.price("A-1").source();
                    }
                    // 10 failed calls opened the breaker; the retry did not retry its rejection
                    assertThat(source).isEqualTo("list price (CallNotPermittedException)");
                    assertThat(client.upstreamCalls()).isEqualTo(10);
                });
    }
}
