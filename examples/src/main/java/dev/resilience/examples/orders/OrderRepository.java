package dev.resilience.examples.orders;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Orders in PostgreSQL. Creating an order writes the order and its audit event in one transaction,
 * so an order never exists without its event. Thread-safe: every call takes its own connection.
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

    private final DataSource dataSource;

    /** Orders stored through {@code dataSource}; call {@link #createSchema()} once at start. */
    public OrderRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the tables when they do not exist yet. */
    public void createSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(SCHEMA);
        }
    }

    /** Stores {@code order} and its {@code created} event atomically and returns it with its id. */
    public Order create(NewOrder order) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
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
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The order with {@code id}, if any. */
    public Optional<Order> find(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, customer, item, quantity, created_at FROM orders WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** The newest {@code limit} orders, newest first. */
    public List<Order> latest(int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
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
    }

    private static Order read(ResultSet rs) throws SQLException {
        return new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getTimestamp(5).toInstant());
    }
}
