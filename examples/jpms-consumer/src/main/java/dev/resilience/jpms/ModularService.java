package dev.resilience.jpms;

import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Fallback;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import dev.resilience.core.Retry;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.HealthReport;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.List;

/**
 * Wires a few modules together through their exported API only, as a modular application does; the
 * class names of the other modules' API are referenced so that javac resolves each module's exports.
 */
public final class ModularService {

    /** One exported type of each required module, so the compiler checks every module's exports. */
    public static final List<Class<?>> API = List.of(Retry.class, dev.resilience.pool.ResilientDataSource.class,
            RateLimiter.class, HealthRegistry.class, dev.resilience.backup.PostgresBackup.class,
            dev.resilience.queue.TaskQueue.class);

    private ModularService() {
    }

    /** Calls through a composed policy, asks a rate limiter and reports health; returns what it saw. */
    public static String run() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("jpms");
        Policy policy = Resilience.of(Fallback.of("fallback"), Retry.ofDefaults("jpms"), breaker);
        String answer = policy.call(() -> "ok");
        RateLimiter limiter = InMemoryRateLimiter.builder("jpms",
                RateLimitPolicy.of(Limit.fixedWindow("minute", 1, Duration.ofMinutes(1)))).build();
        boolean first = limiter.tryAcquire("client").allowed();
        boolean second = limiter.tryAcquire("client").allowed();
        HealthCheck check = breaker.asHealthCheck();
        HealthReport report;
        try (HealthRegistry registry = HealthRegistry.builder().check("breaker", check).build()) {
            report = registry.report();
        }
        return answer + " " + first + " " + second + " " + report.status();
    }

    /**
     * Runs {@link #run()} and prints what it saw.
     *
     * @param args ignored
     * @throws Exception if the call fails
     */
    public static void main(String[] args) throws Exception {
        System.out.println(run());
    }
}
