package dev.resilience.examples.springboot;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Orders and stock reservations in PostgreSQL through JdbcTemplate. */
@Repository
public class OrderRepository {
    private final JdbcTemplate jdbc;

    OrderRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The order and its stock reservation, together or not at all. */
    @Transactional
    public long insert(String sku, int quantity, BigDecimal total) {
        Long id = jdbc.queryForObject("insert into orders (sku, quantity, total) values (?, ?, ?) returning id",
                Long.class, sku, quantity, total);
        int reserved = jdbc.update("update stock set reserved = reserved + ? where sku = ? and reserved + ? <= on_hand",
                quantity, sku, quantity);
        if (reserved == 0) {
            throw new OutOfStockException(sku);   // rolls the order back
        }
        return id;
    }

    public Optional<Map<String, Object>> find(long id) {
        return jdbc.queryForList("select id, sku, quantity, total from orders where id = ?", id).stream().findFirst();
    }

    /** Unknown sku, or not enough stock left. */
    public static final class OutOfStockException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfStockException(String sku) {
            super("not enough stock of " + sku);
        }
    }
}
