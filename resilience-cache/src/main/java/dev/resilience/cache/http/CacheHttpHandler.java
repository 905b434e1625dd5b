package dev.resilience.cache.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.resilience.core.internal.BearerToken;
import dev.resilience.cache.CacheStats;
import dev.resilience.cache.RedisCache;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator endpoints for caches on the JDK {@code HttpServer}, mounted at any context (e.g.
 * {@code server.createContext("/cache", handler)}):
 * <ul>
 *   <li>{@code GET  <context>/status}: per cache its Redis, whether it is in a Redis outage, its local tier's
 *       size and its counters</li>
 *   <li>{@code POST <context>/clear?cache=<name>}: {@link RedisCache#clear()} on every instance</li>
 * </ul>
 * Another method on those paths answers 405 with {@code Allow}; a missing {@code cache} parameter 400 (a
 * malformed %-escape is refused with 400 by the server), an unknown cache 404, and none of them clears anything.
 * Access follows the health module's rule for its sensitive endpoints: disabled by default (404), a bearer
 * token ({@code Authorization: Bearer <token>}, else 401; compared in constant time on SHA-256 digests), or
 * open. Answers JSON. Immutable and thread-safe.
 */
public final class CacheHttpHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(CacheHttpHandler.class);

    private final Map<String, RedisCache<?>> caches;
    private final boolean open;
    private final @Nullable BearerToken token;

    private CacheHttpHandler(List<RedisCache<?>> caches, boolean open, @Nullable BearerToken token) {
        Map<String, RedisCache<?>> byName = new LinkedHashMap<>();
        for (RedisCache<?> cache : Objects.requireNonNull(caches, "caches")) {
            if (byName.put(Objects.requireNonNull(cache, "cache").name(), cache) != null) {
                throw new IllegalArgumentException("two caches are named " + cache.name());
            }
        }
        this.caches = byName;
        this.open = open;
        this.token = token;
    }

    /**
     * Answers 404 to everything: the default until access is granted.
     *
     * @param caches the caches the endpoints would serve
     * @return a handler that answers 404 to every request
     */
    public static CacheHttpHandler disabled(List<RedisCache<?>> caches) {
        return new CacheHttpHandler(caches, false, null);
    }

    /**
     * Anyone who reaches the port may call it (development, or a port only operators reach).
     *
     * @param caches the caches the endpoints serve, by name
     * @return a handler without access control
     */
    public static CacheHttpHandler open(List<RedisCache<?>> caches) {
        return new CacheHttpHandler(caches, true, null);
    }

    /**
     * Callers must send {@code Authorization: Bearer <token>}.
     *
     * @param caches the caches the endpoints serve, by name
     * @param token the shared secret callers send, at least 16 characters; compared in constant time, never logged
     * @return a handler that answers 401 without the token
     * @throws IllegalArgumentException if the token is shorter than 16 characters (its value is never shown)
     */
    public static CacheHttpHandler withToken(List<RedisCache<?>> caches, String token) {
        return new CacheHttpHandler(caches, false, BearerToken.of(token));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length());
            BearerToken required = token;
            if (!open && required == null) {
                send(exchange, 404, "{\"error\":\"the cache endpoints are disabled\"}");
                return;
            }
            if (required != null && !open && !required.permits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                send(exchange, 401, "{\"error\":\"a valid bearer token is required\"}");
                return;
            }
            String method = exchange.getRequestMethod();
            if (path.equals("/status") && method.equals("GET")) {
                send(exchange, 200, status());
            } else if (path.equals("/clear") && method.equals("POST")) {
                String name = parameter(exchange.getRequestURI().getRawQuery(), "cache");
                if (name == null) {
                    send(exchange, 400, "{\"error\":" + quote("give cache=<name>; caches: " + caches.keySet()) + "}");
                    return;
                }
                RedisCache<?> cache = caches.get(name);
                if (cache == null) {
                    send(exchange, 404, "{\"error\":" + quote("no cache named " + name + "; caches: " + caches.keySet()) + "}");
                    return;
                }
                cache.clear();
                log.info("Cache {} cleared through the HTTP endpoint", name);
                send(exchange, 200, "{\"cleared\":" + quote(name) + "}");
            } else if (path.equals("/status") || path.equals("/clear")) {
                String allowed = path.equals("/status") ? "GET" : "POST";
                exchange.getResponseHeaders().add("Allow", allowed);
                send(exchange, 405, "{\"error\":" + quote(method + " is not allowed here, use " + allowed) + "}");
            } else {
                send(exchange, 404, "{\"error\":" + quote("no such endpoint: " + method + " " + path) + "}");
            }
        }
    }

    private String status() {
        StringBuilder json = new StringBuilder("{\"caches\":[");
        boolean first = true;
        for (RedisCache<?> cache : caches.values()) {
            CacheStats s = cache.stats();
            json.append(first ? "" : ",").append("{\"name\":").append(quote(cache.name()))
                    .append(",\"redis\":").append(quote(cache.config().redis()))
                    .append(",\"redisOutage\":").append(cache.redisOutage())
                    .append(",\"localSize\":").append(cache.localSize())
                    .append(",\"localHits\":").append(s.localHits()).append(",\"localMisses\":").append(s.localMisses())
                    .append(",\"redisHits\":").append(s.redisHits()).append(",\"redisMisses\":").append(s.redisMisses())
                    .append(",\"loads\":").append(s.loads()).append(",\"loadFailures\":").append(s.loadFailures())
                    .append(",\"staleServed\":").append(s.staleServed()).append(",\"writesSkipped\":").append(s.writesSkipped())
                    .append(",\"localEvictions\":").append(s.localEvictions()).append("}");
            first = false;
        }
        return json.append("]}").toString();
    }

    private static @Nullable String parameter(@Nullable String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
