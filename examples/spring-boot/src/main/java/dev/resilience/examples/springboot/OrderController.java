package dev.resilience.examples.springboot;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/orders {"sku":"A-1","quantity":2}}, {@code GET /api/orders/{id}}: rate limited per client (application.yml). */
@RestController
public class OrderController {
    private final OrderService orders;

    OrderController(OrderService orders) {
        this.orders = orders;
    }

    @PostMapping("/api/orders")
    Map<String, Object> place(@RequestBody Map<String, Object> order) {
        return orders.place((String) order.get("sku"), ((Number) order.get("quantity")).intValue());
    }

    @ExceptionHandler(OrderRepository.OutOfStockException.class)
    ResponseEntity<Map<String, Object>> outOfStock(OrderRepository.OutOfStockException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    @GetMapping("/api/orders/{id}")
    ResponseEntity<Map<String, Object>> find(@PathVariable long id) {
        return ResponseEntity.of(orders.find(id));
    }
}
