package dev.resilience.examples.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a chaos run saw, gathered after the load and the faults stopped, for
 * {@link ChaosInvariants} to judge. A plain value so that the checker can be fed bad data in a unit
 * test and be seen to fail.
 *
 * @param calls           every request the load sent, with its answer
 * @param faults          every fault the schedule injected, with when it started and was healed
 * @param acknowledged    orders answered 201: the order's unique token to the id the service gave it
 * @param stored          the rows of the orders table for the tokens of this run: token to the ids found
 * @param apiLimit        {@code API_RATE_LIMIT} of the run
 * @param loginLimit      {@code LOGIN_RATE_LIMIT} of the run
 * @param fallbacks       the periods the API rate limiter decided in memory, read from its log lines
 * @param failedRedisCalls when each call of the API limiter to Redis failed or timed out (its DEBUG line):
 *                        such a request may be admitted by the fallback without being counted anywhere
 * @param backups         every backup {@code GET /admin/backups} listed at the end, with its re-verification
 * @param health          the last {@code /health} answer and how long after the last fault it came
 * @param logs            what the service wrote (its whole log) and whatever else is searched for secrets
 *                        (the killed {@code pg_dump}'s command line and environment)
 * @param secrets         name of each secret to its value; only names are ever printed
 */
public record ChaosObservations(
        List<Call> calls,
        List<Fault> faults,
        Map<String, Long> acknowledged,
        Map<String, List<Long>> stored,
        Limit apiLimit,
        Limit loginLimit,
        List<Period> fallbacks,
        List<Instant> failedRedisCalls,
        List<BackupCheck> backups,
        HealthCheck health,
        Map<String, String> logs,
        Map<String, String> secrets) {

    /** What the load is doing with a request: the invariants judge each kind differently. */
    public enum Purpose {
        /** {@code POST /api/orders} from rotating addresses, each with a unique token. */
        ORDER_WRITE,
        /** {@code GET /api/orders...} from rotating addresses. */
        ORDER_READ,
        /** {@code GET /api/quote} from one fixed address, much faster than its limit. */
        RATE_LIMITED,
        /** {@code POST /auth/login} with the right password. */
        LOGIN,
        /** {@code POST /auth/login} with a wrong password from one fixed address. */
        WRONG_PASSWORD
    }

    /**
     * One request and its answer; {@code status} -1 when none came (timeout, connection refused).
     *
     * @param client the load client (its fixed address for rate-limited clients and attackers)
     */
    public record Call(Purpose purpose, String client, int status, boolean retryAfter, String body, Instant sent,
                       Instant received) {
    }

    /** The kinds of fault the schedule injects. */
    public enum FaultKind {
        REDIS_KILLED("Redis killed (SIGKILL), restarted empty"),
        REDIS_SLOW("Redis slowed by the TCP proxy"),
        POSTGRES_STOPPED("PostgreSQL stopped (pg_ctl stop -m fast), started again"),
        POSTGRES_SLOW("PostgreSQL slowed by the TCP proxy"),
        PG_DUMP_KILLED("pg_dump killed (SIGKILL) during a backup");

        final String description;

        FaultKind(String description) {
            this.description = description;
        }

        /** Whether requests needing the database may be answered 503 during and shortly after it (README). */
        boolean databaseOutage() {
            return this == POSTGRES_STOPPED || this == POSTGRES_SLOW || this == PG_DUMP_KILLED;
        }

        /** Whether it may put the rate limiter and login protection into their in-memory fallback. */
        boolean redisOutage() {
            return this == REDIS_KILLED || this == REDIS_SLOW;
        }
    }

    /** One injected fault, from its start to when it was healed. */
    public record Fault(FaultKind kind, Instant start, Instant end) {
    }

    /** {@code permits} per {@code window}. */
    public record Limit(int permits, Duration window) {
    }

    /** A period from {@code start} to {@code end}. */
    public record Period(Instant start, Instant end) {
    }

    /**
     * A listed backup and what {@code POST /admin/backups/{id}/verify} answered.
     *
     * @param verification the verification status it reported ({@code PASSED}, {@code FAILED}, ...)
     */
    public record BackupCheck(String id, int status, String verification) {
    }

    /**
     * The service's last {@code /health} answer.
     *
     * @param afterLastFault how long after the last fault was healed this answer came
     */
    public record HealthCheck(int status, String healthStatus, Duration afterLastFault) {
    }
}
