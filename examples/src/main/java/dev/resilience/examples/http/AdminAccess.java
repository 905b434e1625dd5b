package dev.resilience.examples.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

/**
 * Guards the {@code /admin} endpoints with the bearer token from {@code ADMIN_TOKEN}: without a
 * configured token they answer 404 (disabled, like the detailed health report), with a wrong or
 * missing {@code Authorization: Bearer} header 401. The comparison is constant-time on SHA-256
 * digests, so neither the token nor its length leaks through timing. Thread-safe.
 */
public final class AdminAccess extends Filter {

    private final byte[] tokenDigest;

    /** Access for holders of {@code token}; empty disables the guarded endpoints. */
    public AdminAccess(Optional<String> token) {
        this.tokenDigest = token.map(AdminAccess::digest).orElse(null);
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (tokenDigest == null) {
            exchange.getRequestBody().close();
            Json.send(exchange, 404, Map.of("error", "admin endpoints are disabled: start the service with ADMIN_TOKEN set"));
            return;
        }
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if (!bearer || !MessageDigest.isEqual(tokenDigest, digest(authorization.substring(7).trim()))) {
            exchange.getRequestBody().close();
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            Json.send(exchange, 401, Map.of("error", "send Authorization: Bearer <ADMIN_TOKEN>"));
            return;
        }
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "bearer token guard of the admin endpoints";
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
