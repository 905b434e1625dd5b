package dev.resilience.examples.upstream;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.http.Query;

/**
 * {@code GET /api/quote?item=x}: the upstream's price for {@code x}. Thread-safe.
 */
public final class QuoteEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/api/quote";

    private final QuoteClient client;

    /** Answers with {@code client}'s quotes. */
    public QuoteEndpoint(QuoteClient client) {
        this.client = client;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals("GET")) {
            throw HttpError.methodNotAllowed("GET");
        }
        String item = Query.param(exchange, "item").orElse("widget");
        Json.send(exchange, 200, client.quote(item));
    }
}
