package dev.resilience.examples.auth;

/**
 * The body of {@code POST /auth/login}. {@link #toString()} hides the password so it cannot reach a
 * log line by accident.
 */
public record LoginRequest(String user, String password) {

    @Override
    public String toString() {
        return "LoginRequest[user=" + user + ", password=***]";
    }
}
