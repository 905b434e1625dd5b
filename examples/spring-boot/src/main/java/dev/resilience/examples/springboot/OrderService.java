package dev.resilience.examples.springboot;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Prices an order (no connection held while the upstream is slow), then stores it in one transaction. Reads
 * are cached in the {@code orders} cache (Redis with a local tier, {@code resilience.cache.caches.orders});
 * a write evicts the order's entry once its transaction is committed.
 */
@Service
public class OrderService {
    private final OrderRepository repository;
    private final PricingClient pricing;

    OrderService(OrderRepository repository, PricingClient pricing) {
        this.repository = repository;
        this.pricing = pricing;
    }

    /** Evicts the new id's entry: a read of that id before it existed may have cached its absence. */
    @CacheEvict(cacheNames = "orders", key = "#result['id']")
    public Map<String, Object> place(String sku, int quantity) {
        PricingClient.Price price = pricing.price(sku);
        BigDecimal total = price.amount().multiply(BigDecimal.valueOf(quantity));
        long id = repository.insert(sku, quantity, total);
        return Map.of("id", id, "sku", sku, "quantity", quantity, "total", total, "priceSource", price.source());
    }

    /** From the cache, else the database once per id and instance (sync: concurrent misses wait for one query). */
    @Cacheable(cacheNames = "orders", sync = true)
    public Optional<Map<String, Object>> find(long id) {
        return repository.find(id);
    }
}
