package dev.resilience.examples.springboot;

import dev.resilience.ratelimit.LoginAttempt;
import dev.resilience.ratelimit.LoginProtection;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /auth/login {"user":"demo","password":"..."}}: a toy login with one fixed demo user, behind the
 * starter's {@link LoginProtection} (5 failures per user and address in 15 minutes, then 429 with
 * {@code Retry-After}, even for the right password). The password is never logged. Without that bean (the
 * start-up benchmark runs the service with every auto-configuration of the starter excluded) the service
 * starts all the same and refuses every login with 503: a login is never checked unprotected.
 */
@RestController
public class LoginController {
    static final String DEMO_USER = "demo";
    private final ObjectProvider<LoginProtection> protection;
    private final byte[] demoPasswordDigest;

    LoginController(ObjectProvider<LoginProtection> protection, @Value("${demo.login.password}") String demoPassword) {
        this.protection = protection;
        this.demoPasswordDigest = sha256(demoPassword);
    }

    @PostMapping("/auth/login")
    ResponseEntity<Map<String, Object>> login(@RequestBody Map<String, String> login, HttpServletRequest request) {
        String user = String.valueOf(login.getOrDefault("user", ""));
        // the socket address: the example trusts no proxy (like the rate-limit filter's client-ip settings)
        LoginProtection protection = this.protection.getIfAvailable();
        if (protection == null) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "login protection is not configured"));
        }
        LoginAttempt attempt = protection.attempt(user, request.getRemoteAddr());
        if (attempt.blocked()) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (attempt.retryAfter().toMillis() + 999) / 1000)))
                    .body(Map.of("error", "too many failed logins, retry later"));
        }
        // an unknown user is answered exactly like a wrong password, so usernames cannot be probed
        boolean matches = MessageDigest.isEqual(sha256(String.valueOf(login.getOrDefault("password", ""))), demoPasswordDigest)
                & DEMO_USER.equals(user);
        if (!matches) {
            attempt.failed();
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "wrong user or password"));
        }
        attempt.succeeded();
        return ResponseEntity.ok(Map.of("user", user));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
