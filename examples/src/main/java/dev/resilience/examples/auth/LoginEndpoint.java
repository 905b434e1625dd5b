package dev.resilience.examples.auth;

import com.sun.net.httpserver.HttpExchange;
import dev.resilience.examples.http.HttpError;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import java.util.Map;

/**
 * {@code POST /auth/login} with {@code {"user": "demo", "password": "..."}}: 200 when the password is
 * right, 401 when not. A toy: it issues no session. Passwords are never logged. Thread-safe.
 */
public final class LoginEndpoint implements JsonEndpoint {

    /** The path this endpoint serves. */
    public static final String PATH = "/auth/login";

    private final DemoUsers users;

    /** Checks logins against {@code users}. */
    public LoginEndpoint(DemoUsers users) {
        this.users = users;
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
        if (!users.check(login.user(), login.password().toCharArray())) {
            throw HttpError.of(401, "wrong user or password", Map.of());
        }
        Json.send(exchange, 200, Map.of("user", login.user(), "authenticated", true));
    }
}
