package dev.resilience.queue.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.resilience.core.internal.BearerToken;
import dev.resilience.queue.AttemptFailure;
import dev.resilience.queue.DeadLetterFilter;
import dev.resilience.queue.DeadTask;
import dev.resilience.queue.QueueException;
import dev.resilience.queue.QueueStats;
import dev.resilience.queue.TaskQueue;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Operator endpoints for one {@link TaskQueue} on the JDK {@code HttpServer}, mounted at any context
 * (e.g. {@code server.createContext("/admin/queue", handler)}):
 * <ul>
 *   <li>{@code GET  <context>/stats}: ready, running and dead per type, oldest ready age</li>
 *   <li>{@code GET  <context>/dead?type=&limit=}: dead tasks with their history (default limit 100)</li>
 *   <li>{@code POST <context>/dead/reprocess?id=|type=|all=true}: back to the queue</li>
 *   <li>{@code POST <context>/dead/discard?id=|type=|all=true}: deleted</li>
 * </ul>
 * Access follows the health module's rule for its detailed endpoint: disabled by default (404), a bearer
 * token ({@code Authorization: Bearer <token>}, else 401, compared in constant time on digests), or open.
 * POSTs need a filter (an id, a type or {@code all=true}), so an empty query never changes every task.
 * Answers JSON. Immutable and thread-safe.
 */
public final class QueueAdminHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QueueAdminHandler.class);

    private final TaskQueue queue;
    private final boolean open;
    private final @Nullable BearerToken token;

    private QueueAdminHandler(TaskQueue queue, boolean open, @Nullable BearerToken token) {
        this.queue = queue;
        this.open = open;
        this.token = token;
    }

    /**
     * Answers 404 to everything: the default until access is granted.
     *
     * @param queue the queue it would serve
     * @return a handler that answers 404
     */
    public static QueueAdminHandler disabled(TaskQueue queue) {
        return new QueueAdminHandler(Objects.requireNonNull(queue, "queue"), false, null);
    }

    /**
     * Anyone who reaches the port may call it (development, or a port only operators reach).
     *
     * @param queue the queue to serve
     * @return a handler without access control
     */
    public static QueueAdminHandler open(TaskQueue queue) {
        return new QueueAdminHandler(Objects.requireNonNull(queue, "queue"), true, null);
    }

    /**
     * Callers must send {@code Authorization: Bearer <token>}.
     *
     * @param queue the queue to serve
     * @param token the bearer token callers must send; kept only as a digest, never logged
     * @return a handler that answers 401 without the token
     * @throws IllegalArgumentException if the token is shorter than 16 characters
     */
    public static QueueAdminHandler withToken(TaskQueue queue, String token) {
        BearerToken check = BearerToken.of(token);
        return new QueueAdminHandler(Objects.requireNonNull(queue, "queue"), false, check);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(exchange.getHttpContext().getPath().length());
            if (!open && token == null) {
                respond(exchange, 404, Map.of("error", "the queue admin endpoints are disabled"));
                return;
            }
            if (!permits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                respond(exchange, 401, Map.of("error", "a valid bearer token is required"));
                return;
            }
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String method = exchange.getRequestMethod();
            try {
                if (path.equals("/stats") && method.equals("GET")) {
                    respond(exchange, 200, stats(queue.stats()));
                } else if (path.equals("/dead") && method.equals("GET")) {
                    int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 100;
                    DeadLetterFilter filter = new DeadLetterFilter(null, query.get("type"));
                    respond(exchange, 200, Map.of("dead", dead(queue.deadLetters().list(filter, limit))));
                } else if ((path.equals("/dead/reprocess") || path.equals("/dead/discard")) && method.equals("POST")) {
                    DeadLetterFilter filter = filter(query);
                    if (filter == null) {
                        respond(exchange, 400, Map.of("error", "give id=<task id>, type=<task type> or all=true"));
                        return;
                    }
                    boolean reprocess = path.endsWith("reprocess");
                    int n = reprocess ? queue.deadLetters().reprocess(filter) : queue.deadLetters().discard(filter);
                    LOG.info("queue {}: {} dead tasks {} through the admin endpoint ({})", queue.schema(), n,
                            reprocess ? "reprocessed" : "discarded", filter);
                    respond(exchange, 200, Map.of(reprocess ? "reprocessed" : "discarded", n));
                } else {
                    respond(exchange, 404, Map.of("error", "no such endpoint: " + method + " " + path));
                }
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, Map.of("error", e.getMessage()));
            } catch (QueueException e) {
                respond(exchange, 503, Map.of("error", e.getMessage()));
            }
        }
    }

    private boolean permits(String authorization) {
        if (open) {
            return true;
        }
        return token != null && token.permits(authorization);
    }

    private static @Nullable DeadLetterFilter filter(Map<String, String> query) {
        if (query.containsKey("id")) {
            return DeadLetterFilter.ofId(Long.parseLong(query.get("id")));
        }
        if (query.containsKey("type")) {
            return DeadLetterFilter.ofType(query.get("type"));
        }
        return "true".equals(query.get("all")) ? DeadLetterFilter.all() : null;
    }

    private static Map<String, Object> stats(QueueStats stats) {
        Map<String, Object> types = new LinkedHashMap<>();
        stats.byType().forEach((type, s) -> types.put(type, Map.of("ready", s.ready(), "running", s.running(),
                "dead", s.dead(), "oldestReadySeconds", s.oldestReady().toSeconds())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", stats.ready());
        body.put("dead", stats.dead());
        body.put("oldestReadySeconds", stats.oldestReady().toSeconds());
        body.put("types", types);
        return body;
    }

    private static List<Object> dead(List<DeadTask> tasks) {
        List<Object> out = new ArrayList<>();
        for (DeadTask t : tasks) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", t.id());
            row.put("type", t.type());
            row.put("idempotencyKey", t.idempotencyKey());
            row.put("attempts", t.attempts());
            row.put("createdAt", t.createdAt().toString());
            row.put("deadAt", t.deadAt().toString());
            row.put("payload", new String(t.payload(), StandardCharsets.UTF_8));
            List<Object> history = new ArrayList<>();
            for (AttemptFailure f : t.history()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("at", f.at().toString());
                entry.put("attempt", f.attempt());
                entry.put("error", f.error());
                entry.put("message", f.message());
                entry.put("stack", f.stack());
                history.add(entry);
            }
            row.put("history", history);
            out.add(row);
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Who may call the handler. */
    public enum Access {
        /** Nobody: every request answers 404 ({@link #disabled(TaskQueue)}). */
        DISABLED,
        /** Anyone who reaches the port ({@link #open(TaskQueue)}). */
        OPEN,
        /** Callers with the bearer token ({@link #withToken(TaskQueue, String)}). */
        TOKEN
    }

    /**
     * The handler's only setting (it has no builder, so a getter rather than a config record): who may call
     * it. The token itself is never exposed.
     *
     * @return the access mode this handler was made with
     */
    public Access access() {
        return open ? Access.OPEN : token == null ? Access.DISABLED : Access.TOKEN;
    }

    @Override
    public String toString() {
        return "QueueAdminHandler{" + queue.schema() + ", " + access().name().toLowerCase(java.util.Locale.ROOT) + "}";
    }
}
