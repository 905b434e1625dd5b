package dev.resilience.examples.auth;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.ratelimit.LoginAttempt;
import dev.resilience.ratelimit.LoginProtection;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code POST /auth/login} with {@code {"user": "demo", "password": "..."}}: 200 when the password is
 * right, 401 when not (the same answer for an unknown user; the failure that exhausts the attempts
 * also carries {@code Retry-After}), then 429 with {@code Retry-After} while the user is blocked from
 * this address, whatever the password. A toy: it issues no session.
 * Passwords are never logged. Thread-safe.
 */
public final class LoginEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/auth/login";

    private final DemoUsers users;
    private final LoginProtection protection;
    private final Function<HttpExchange, String> clientAddress;

    /** Checks logins against {@code users}, guarded by {@code protection} per user and client address. */
    public LoginEndpoint(DemoUsers users, LoginProtection protection, Function<HttpExchange, String> clientAddress) {
        this.users = users;
        this.protection = protection;
        this.clientAddress = clientAddress;
    }

    @Override
    public void handle(HttpExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals("POST")) {
            throw HttpError.methodNotAllowed("POST");
        }
        LoginRequest login = Json.read(exchange, LoginRequest.class);
        if (login.user() == null || login.user().isBlank() || login.password() == null) {
            throw HttpError.badRequest("user and password are required");
        }
        String address = clientAddress.apply(exchange);
        LoginAttempt attempt = protection.attempt(login.user(), address);
        if (attempt.blocked()) {
            throw tooManyFailures(attempt);
        }
        if (users.check(login.user(), login.password().toCharArray())) {
            attempt.succeeded();
            Json.send(exchange, 200, Map.of("user", login.user(), "authenticated", true));
            return;
        }
        LoginAttempt after = attempt.failed();
        if (after.blocked()) {
            throw HttpError.of(401, "wrong user or password; no attempts left, blocked for " + seconds(after) + " s",
                    Map.of("Retry-After", seconds(after)));
        }
        throw HttpError.of(401, "wrong user or password; " + after.remainingAttempts() + " attempts left", Map.of());
    }

    private static HttpError tooManyFailures(LoginAttempt attempt) {
        return HttpError.of(429, "too many failed logins; retry after " + seconds(attempt) + " s",
                Map.of("Retry-After", seconds(attempt)));
    }

    private static String seconds(LoginAttempt attempt) {
        return Long.toString(Math.max(1, (attempt.retryAfter().toMillis() + 999) / 1000));
    }
}
