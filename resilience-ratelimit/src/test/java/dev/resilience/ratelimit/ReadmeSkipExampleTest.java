package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The README's "Counting only failures (or only successes)" sample, kept compiling and working. */
class ReadmeSkipExampleTest {

    // --- README sample start
    static RateLimitRules loginRules(RateLimiter loginLimiter, RateLimiter apiLimiter) {
        return RateLimitRules.builder()
                .route("/auth/login", loginLimiter, RateLimitRules.Skip.SUCCESSFUL)   // only failed logins count
                .route("/api/**", apiLimiter, RateLimitRules.Skip.FAILED)             // only successful calls count
                .build();
    }

    static int handle(RateLimitRules rules, RateLimitRequest request, int handlerStatus) {
        RateLimitRules.Outcome outcome = rules.evaluate(request);   // takes the permit before the handler runs
        if (outcome != null && !outcome.admitted()) {
            return outcome.status();
        }
        int status = handlerStatus;                                 // the handler answers
        if (outcome != null) {
            outcome.completed(status);                              // gives the permit back if the route skips it
        }
        return status;
    }
    // --- README sample end

    @Test
    void successfulLoginsAreGivenBackAndFailuresCountUpToTheLimit() {
        RateLimiter login = InMemoryRateLimiter.builder("login", RateLimitPolicy.of(Limit.fixedWindow("login15m", 2, Duration.ofMinutes(15)))).build();
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("api15m", 1, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = loginRules(login, api);
        FakeRequest loginRequest = FakeRequest.from("192.0.2.1").path("/auth/login");
        FakeRequest apiRequest = FakeRequest.from("192.0.2.1").path("/api/items");

        assertThat(handle(rules, loginRequest, 200)).isEqualTo(200);
        assertThat(handle(rules, loginRequest, 200)).isEqualTo(200);
        assertThat(handle(rules, loginRequest, 200)).isEqualTo(200);
        assertThat(handle(rules, loginRequest, 401)).isEqualTo(401);
        assertThat(handle(rules, loginRequest, 401)).isEqualTo(401);
        assertThat(handle(rules, loginRequest, 200)).isEqualTo(429);

        assertThat(handle(rules, apiRequest, 500)).isEqualTo(500);
        assertThat(handle(rules, apiRequest, 200)).isEqualTo(200);
        assertThat(handle(rules, apiRequest, 200)).isEqualTo(429);
    }

    @Test
    void completingTwiceGivesBackOnce() {
        RateLimiter login = InMemoryRateLimiter.builder("login", RateLimitPolicy.of(Limit.fixedWindow("login15m", 2, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = RateLimitRules.builder().route("/auth/login", login, RateLimitRules.Skip.SUCCESSFUL).build();
        FakeRequest request = FakeRequest.from("192.0.2.1").path("/auth/login");
        rules.evaluate(request); // one failure's permit, kept

        RateLimitRules.Outcome success = rules.evaluate(request);
        success.completed(200);
        success.completed(200);

        assertThat(login.tryAcquire("ip:192.0.2.1", 0).remaining()).isEqualTo(1);
    }
}
