package dev.resilience.examples.http;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reads query parameters of an exchange. */
public final class Query {

    private Query() {
    }

    /** The first value of {@code name}, decoded. */
    public static Optional<String> param(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            if (kv[0].equals(name) && kv.length == 2 && !kv[1].isEmpty()) {
                return Optional.of(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
