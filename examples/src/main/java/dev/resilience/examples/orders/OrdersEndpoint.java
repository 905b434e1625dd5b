package dev.resilience.examples.orders;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.cache.RedisCache;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.http.Query;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/orders}: {@code POST} creates an order (201 with {@code Location}), {@code GET} lists
 * the newest ({@code ?limit=}, default 50, at most 500), {@code GET /api/orders/{id}} reads one (through
 * the order cache when {@code REDIS_URI} is set).
 * Thread-safe.
 */
public final class OrdersEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/api/orders";

    private final OrderRepository orders;
    private final RedisCache<Order> cache;

    /** Serves {@code orders}; single-order reads go through {@code cache} when it is not null. */
    public OrdersEndpoint(OrderRepository orders, RedisCache<Order> cache) {
        this.orders = orders;
        this.cache = cache;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        String rest = exchange.getRequestURI().getPath().substring(PATH.length());
        String method = exchange.getRequestMethod();
        if (rest.isEmpty() || rest.equals("/")) {
            switch (method) {
                case "GET" -> Json.send(exchange, 200, Map.of("orders", orders.latest(limit(exchange))));
                case "POST" -> create(exchange);
                default -> throw HttpError.methodNotAllowed("GET, POST");
            }
            return;
        }
        if (!method.equals("GET")) {
            throw HttpError.methodNotAllowed("GET");
        }
        long id = id(rest.substring(1));
        Optional<Order> found = cache == null ? orders.find(id)
                : Optional.ofNullable(cache.get("order:" + id, key -> orders.find(id).orElse(null))); // "no such order" is cached too
        Order order = found.orElseThrow(() -> HttpError.notFound("no order " + id));
        Json.send(exchange, 200, order);
    }

    private void create(HttpExchange exchange) throws Exception {
        NewOrder order = Json.read(exchange, NewOrder.class);
        order.validate();
        Order created = orders.create(order);
        exchange.getResponseHeaders().set("Location", PATH + "/" + created.id());
        Json.send(exchange, 201, created);
    }

    private static long id(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw HttpError.notFound("no order '" + text + "': ids are positive numbers");
    }

    private static int limit(HttpExchange exchange) {
        String value = Query.param(exchange, "limit").orElse("50");
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= 500) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw HttpError.badRequest("limit must be 1..500 but was '" + value + "'");
    }
}
