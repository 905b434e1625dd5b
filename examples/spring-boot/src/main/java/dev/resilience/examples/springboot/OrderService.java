package dev.resilience.examples.springboot;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Prices an order (no connection held while the upstream is slow), then stores it in one transaction. */
@Service
public class OrderService {
    private final OrderRepository repository;
    private final PricingClient pricing;

    OrderService(OrderRepository repository, PricingClient pricing) {
        this.repository = repository;
        this.pricing = pricing;
    }

    public Map<String, Object> place(String sku, int quantity) {
        PricingClient.Price price = pricing.price(sku);
        BigDecimal total = price.amount().multiply(BigDecimal.valueOf(quantity));
        long id = repository.insert(sku, quantity, total);
        return Map.of("id", id, "sku", sku, "quantity", quantity, "total", total, "priceSource", price.source());
    }

    public Optional<Map<String, Object>> find(long id) {
        return repository.find(id);
    }
}
