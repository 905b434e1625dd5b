package dev.resilience.examples.upstream;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.http.Query;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for a third-party pricing service, served by the same process under {@code /upstream}
 * so the demo needs nothing else, and told to fail or slow down on demand:
 * <ul>
 *   <li>{@code GET /upstream/quote?item=x}: {@code {"item": "x", "price": 12.5}}, or 503 while failing,
 *       after the configured delay;</li>
 *   <li>{@code GET /upstream/control}: the current behaviour;</li>
 *   <li>{@code POST /upstream/control} with {@code {"failing": true, "delayMs": 0}}: changes it.</li>
 * </ul>
 * It plays the remote side only: the service calls it over HTTP like any external API. Thread-safe.
 */
public final class FlakyUpstream implements JsonEndpoint {

    /** The path prefix this upstream serves. */
    public static final String PATH = "/upstream";
    /** The {@code Referrer-Policy} the upstream sets on its quotes itself, unlike the rest of the service. */
    public static final String REFERRER_POLICY = "strict-origin-when-cross-origin";
    private static final String REFERRER_POLICY_HEADER = "Referrer-Policy";

    /** What the upstream does to every quote request. */
    public record Behaviour(boolean failing, long delayMs) {

        /** @throws HttpError 400 when the delay is negative or over a minute */
        public Behaviour {
            if (delayMs < 0 || delayMs > 60_000) {
                throw HttpError.badRequest("delayMs must be 0..60000 but was " + delayMs);
            }
        }
    }

    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(new Behaviour(false, 0));

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        String path = exchange.getRequestURI().getPath();
        switch (path) {
            case PATH + "/quote" -> quote(exchange);
            case PATH + "/control" -> control(exchange);
            default -> throw HttpError.notFound("the upstream serves " + PATH + "/quote and " + PATH + "/control");
        }
    }

    private void quote(HttpExchange exchange) throws Exception {
        Behaviour now = behaviour.get();
        if (now.delayMs() > 0) {
            Thread.sleep(now.delayMs());
        }
        if (now.failing()) {
            throw HttpError.of(503, "upstream failure (simulated)", Map.of());
        }
        String item = Query.param(exchange, "item").orElse("widget");
        // a third party has its own header policy: the service's security headers filter keeps it, sending no second one
        exchange.getResponseHeaders().set(REFERRER_POLICY_HEADER, REFERRER_POLICY);
        Json.send(exchange, 200, new Quote(item, price(item), "upstream"));
    }

    private void control(HttpExchange exchange) throws Exception {
        switch (exchange.getRequestMethod()) {
            case "GET" -> Json.send(exchange, 200, behaviour.get());
            case "POST" -> {
                Behaviour next = Json.read(exchange, Behaviour.class);
                behaviour.set(next);
                Json.send(exchange, 200, next);
            }
            default -> throw HttpError.methodNotAllowed("GET, POST");
        }
    }

    /** A stable made-up price per item, in cents precision. */
    static double price(String item) {
        return 1 + Math.floorMod(item.hashCode(), 10_000) / 100.0;
    }
}
