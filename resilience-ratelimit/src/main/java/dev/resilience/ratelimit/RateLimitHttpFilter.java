package dev.resilience.ratelimit;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A filter for the JDK's {@code com.sun.net.httpserver.HttpServer} applying {@link RateLimitRules}:
 * admitted exchanges go on with the {@code RateLimit-Policy}/{@code RateLimit} headers set; rejected
 * ones get {@code 429} with {@code Retry-After} and an {@code application/problem+json} body.
 *
 * <pre>{@code
 * server.createContext("/", handler).getFilters().add(new RateLimitHttpFilter(rules));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RateLimitHttpFilter extends Filter {

    private final RateLimitRules rules;

    /**
     * A filter applying {@code rules} to every request it sees.
     *
     * @param rules the routes, keys and limiters; may be shared with other filters
     */
    public RateLimitHttpFilter(RateLimitRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * The effective settings: the rules' ({@link RateLimitRules#config()}), the filter has none of its own.
     *
     * @return the settings of the rules this filter applies
     */
    public RateLimitRules.Config config() {
        return rules.config();
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        RateLimitRules.Outcome outcome = rules.evaluate(request(exchange));
        if (outcome == null) {
            chain.doFilter(exchange);
            return;
        }
        for (Map.Entry<String, String> header : outcome.headers().entrySet()) {
            exchange.getResponseHeaders().set(header.getKey(), header.getValue());
        }
        if (outcome.admitted()) {
            int status = 500;
            try {
                chain.doFilter(exchange);
                status = exchange.getResponseCode();
            } finally {
                outcome.completed(status);
            }
            return;
        }
        byte[] body = outcome.problem().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.sendResponseHeaders(outcome.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * The exchange seen as a {@link RateLimitRequest}, for resolving its key outside the filter (for
     * example a login endpoint asking {@link ClientIpResolver} for the client's address).
     *
     * @param exchange the exchange to read; read lazily, not copied
     * @return a view of the exchange
     */
    public static RateLimitRequest request(HttpExchange exchange) {
        return new ExchangeView(Objects.requireNonNull(exchange, "exchange"));
    }

    @Override
    public String description() {
        return "rate limiting (429 with Retry-After when over the limit)";
    }

    private static final class ExchangeView implements RateLimitRequest {
        private final HttpExchange exchange;

        ExchangeView(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String remoteAddress() {
            InetSocketAddress remote = exchange.getRemoteAddress();
            return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        }

        @Override
        public List<String> headers(String name) {
            List<String> values = exchange.getRequestHeaders().get(name);
            return values == null ? List.of() : values;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String path() {
            return exchange.getRequestURI().getPath(); // as the handler reads it: decoded, not normalised
        }

        @Override
        public @Nullable String handlerPath() {
            return exchange.getHttpContext().getPath(); // contexts match by string prefix
        }

        @Override
        public @Nullable String principal() {
            HttpPrincipal principal = exchange.getPrincipal();
            return principal == null ? null : principal.getUsername();
        }
    }
}
