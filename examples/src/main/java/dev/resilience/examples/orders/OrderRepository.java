package dev.resilience.examples.orders;

import dev.resilience.pool.ResilientDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Orders in PostgreSQL through {@code resilience-pool}'s units of work: creating an order writes the
 * order and its audit event in one transaction, so an order never exists without its event; reads run
 * in read-only transactions (served by a replica when one is configured). Thread-safe.
 */
public final class OrderRepository {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS orders (
                id         BIGSERIAL PRIMARY KEY,
                customer   TEXT NOT NULL,
                item       TEXT NOT NULL,
                quantity   INT NOT NULL CHECK (quantity > 0),
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS order_events (
                id         BIGSERIAL PRIMARY KEY,
                order_id   BIGINT NOT NULL REFERENCES orders (id),
                type       TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            """;

    /** Told about each new order inside the transaction that creates it (the order webhooks enqueue there). */
    @FunctionalInterface
    public interface OnCreate {
        void created(Connection connection, Order order) throws SQLException;
    }

    private final ResilientDataSource db;
    private final OnCreate onCreate;

    /** Orders stored through {@code db}; call {@link #createSchema()} once at start. */
    public OrderRepository(ResilientDataSource db) {
        this(db, (connection, order) -> { });
    }

    /** Orders stored through {@code db}, calling {@code onCreate} in each order's transaction. */
    public OrderRepository(ResilientDataSource db, OnCreate onCreate) {
        this.db = db;
        this.onCreate = onCreate;
    }

    /** Creates the tables when they do not exist yet. */
    public void createSchema() throws SQLException {
        db.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute(SCHEMA);
            }
            return null;
        });
    }

    /**
     * Stores {@code order} and its {@code created} event in one transaction (retried as a whole on a
     * transient failure, which is safe: it only touches the database) and returns it with its id.
     */
    public Order create(NewOrder order) throws SQLException {
        return db.transaction(c -> {
            Order created;
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO orders (customer, item, quantity) VALUES (?, ?, ?) RETURNING id, created_at")) {
                insert.setString(1, order.customer());
                insert.setString(2, order.item());
                insert.setInt(3, order.quantity());
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    created = new Order(rs.getLong(1), order.customer(), order.item(), order.quantity(),
                            rs.getTimestamp(2).toInstant());
                }
            }
            try (PreparedStatement event = c.prepareStatement("INSERT INTO order_events (order_id, type) VALUES (?, 'created')")) {
                event.setLong(1, created.id());
                event.executeUpdate();
            }
            onCreate.created(c, created);
            return created;
        });
    }

    /** The order with {@code id}, if any. */
    public Optional<Order> find(long id) throws SQLException {
        return db.readOnly(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, customer, item, quantity, created_at FROM orders WHERE id = ?")) {
                s.setLong(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<Order>empty();
                }
            }
        });
    }

    /** The newest {@code limit} orders, newest first. */
    public List<Order> latest(int limit) throws SQLException {
        return db.readOnly(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, customer, item, quantity, created_at FROM orders ORDER BY id DESC LIMIT ?")) {
                s.setInt(1, limit);
                try (ResultSet rs = s.executeQuery()) {
                    List<Order> orders = new ArrayList<>();
                    while (rs.next()) {
                        orders.add(read(rs));
                    }
                    return orders;
                }
            }
        });
    }

    private static Order read(ResultSet rs) throws SQLException {
        return new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant());
    }
}
