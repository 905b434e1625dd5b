package dev.resilience.examples.springboot;

import dev.resilience.spring.boot.annotation.CircuitBreaker;
import dev.resilience.spring.boot.annotation.Retry;
import java.math.BigDecimal;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Prices from the upstream: retried, behind a breaker, with the list price when all that fails. */
@Component
public class PricingClient {
    static final BigDecimal LIST_PRICE = new BigDecimal("10.00");
    private final RestClient.Builder builder;
    private final PricingProperties pricing;
    private final Environment environment;
    private volatile RestClient upstream;

    PricingClient(RestClient.Builder builder, PricingProperties pricing, Environment environment) {
        this.builder = builder;
        this.pricing = pricing;
        this.environment = environment;
    }

    @Retry(name = "pricing")
    @CircuitBreaker(name = "pricing", fallbackMethod = "listPrice")
    public Price price(String sku) {
        BigDecimal amount = upstream().get().uri("/upstream/prices/{sku}", sku).retrieve().body(BigDecimal.class);
        return new Price(amount, "upstream");
    }

    Price listPrice(String sku, Exception e) {
        return new Price(LIST_PRICE, "list price (" + e.getClass().getSimpleName() + ")");
    }

    private RestClient upstream() {
        RestClient client = upstream;
        if (client == null) {
            // the default upstream is this service itself, whose port is known only once it listens
            String url = pricing.url() != null ? pricing.url()
                    : "http://127.0.0.1:" + environment.getProperty("local.server.port", "8080");
            client = builder.baseUrl(url).build();
            upstream = client;
        }
        return client;
    }

    /**
     * @param amount the unit price
     * @param source where it came from
     */
    public record Price(BigDecimal amount, String source) {
    }
}
