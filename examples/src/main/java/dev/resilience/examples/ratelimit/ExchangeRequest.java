package dev.resilience.examples.ratelimit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import dev.resilience.ratelimit.RateLimitRequest;
import java.net.InetSocketAddress;
import java.util.List;

/** A JDK server exchange seen as a {@link RateLimitRequest}, to resolve its client's key. */
record ExchangeRequest(HttpExchange exchange) implements RateLimitRequest {

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
        return exchange.getRequestURI().normalize().getPath();
    }

    @Override
    public String principal() {
        HttpPrincipal principal = exchange.getPrincipal();
        return principal == null ? null : principal.getUsername();
    }
}
