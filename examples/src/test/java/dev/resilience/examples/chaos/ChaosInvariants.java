package dev.resilience.examples.chaos;

import dev.resilience.examples.chaos.ChaosObservations.Call;
import dev.resilience.examples.chaos.ChaosObservations.Fault;
import dev.resilience.examples.chaos.ChaosObservations.FaultKind;
import dev.resilience.examples.chaos.ChaosObservations.Limit;
import dev.resilience.examples.chaos.ChaosObservations.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Judges a chaos run: each invariant the example service promises under faults, held or not, with
 * the figures behind the verdict. Pure (no I/O, no clock), so {@code ChaosInvariantsTest} feeds it
 * bad observations and sees every invariant fail.
 *
 * <p>The counts are sound, never guessed in the service's favour where it matters: a request counts
 * in a rate-limit window only when it was both sent and answered inside it (the limiter decided
 * somewhere in between), so a reported excess is a real one.
 */
public final class ChaosInvariants {

    /**
     * How long after a database fault is healed requests may still be answered 503: the pool's
     * acquisition breaker lets a probe through after 5 s (examples/README.md), a request waits up to
     * {@code DB_ACQUIRE_TIMEOUT} (2 s in the run), and the pool then reconnects.
     */
    public static final Duration DATABASE_RECOVERY = Duration.ofSeconds(20);
    /** The body of the documented 503 (examples/README.md, "When the database is stopped ..."). */
    static final String UNAVAILABLE_BODY = "temporarily unavailable, retry shortly";
    /** The body of the documented 500 of a write whose commit was cut off (examples/README.md). */
    static final String OUTCOME_UNKNOWN_BODY = "outcome unknown: the database connection was lost during the commit";

    private ChaosInvariants() {
    }

    /** One invariant's verdict; {@code detail} holds figures, never a secret. */
    public record Verdict(String invariant, boolean held, String detail) {
    }

    /** Every invariant, in the order of the table. */
    public static List<Verdict> check(ChaosObservations run) {
        return List.of(
                faultsInjected(run),
                noUnexpected5xx(run),
                ordersExactlyOnce(run),
                apiRateLimitBounded(run),
                loginGuessingBounded(run),
                backupsVerify(run),
                healthUp(run),
                noSecretInLogs(run));
    }

    /** A Markdown table of {@code verdicts}. */
    public static String table(List<Verdict> verdicts) {
        StringBuilder table = new StringBuilder("| invariant | held | figures |\n|---|---|---|\n");
        for (Verdict v : verdicts) {
            table.append("| ").append(v.invariant()).append(" | ").append(v.held() ? "yes" : "**NO**").append(" | ")
                    .append(v.detail().replace("|", "\\|")).append(" |\n");
        }
        return table.toString();
    }

    static Verdict faultsInjected(ChaosObservations run) {
        Map<FaultKind, Long> counts = run.faults().stream().collect(Collectors.groupingBy(Fault::kind, TreeMap::new, Collectors.counting()));
        Set<FaultKind> missing = EnumSet.allOf(FaultKind.class);
        missing.removeAll(counts.keySet());
        String detail = counts.entrySet().stream().map(e -> e.getKey().description + ": " + e.getValue())
                .collect(Collectors.joining("; "));
        return new Verdict("every fault of the schedule happened", missing.isEmpty(),
                detail + (missing.isEmpty() ? "" : "; NOT injected: " + missing));
    }

    static Verdict noUnexpected5xx(ChaosObservations run) {
        List<Fault> outages = run.faults().stream().filter(f -> f.kind().databaseOutage()).toList();
        int unavailable = 0;
        int outcomeUnknown = 0;
        int unanswered = 0;
        List<String> bad = new ArrayList<>();
        for (Call call : run.calls()) {
            if (call.status() < 0) {
                unanswered++;
            }
            if (call.status() < 500) {
                continue;
            }
            boolean needsDatabase = call.purpose() == Purpose.ORDER_WRITE || call.purpose() == Purpose.ORDER_READ;
            // the request was being served while the database was out (or recovering): it may have met the outage
            boolean duringOutage = outages.stream().anyMatch(f -> !call.received().isBefore(f.start())
                    && !call.sent().isAfter(f.end().plus(DATABASE_RECOVERY)));
            boolean retryLater = call.status() == 503 && call.retryAfter() && call.body().contains(UNAVAILABLE_BODY);
            boolean cutCommit = call.status() == 500 && !call.retryAfter() && call.purpose() == Purpose.ORDER_WRITE
                    && call.body().contains(OUTCOME_UNKNOWN_BODY);
            if (needsDatabase && duringOutage && retryLater) {
                unavailable++;
            } else if (duringOutage && cutCommit) {
                outcomeUnknown++;
            } else {
                bad.add(call.status() + " to " + call.purpose() + " sent " + call.sent() + (duringOutage ? "" : " outside any database outage")
                        + (retryLater || cutCommit ? "" : " not a documented answer") + ": " + abbreviate(call.body()));
            }
        }
        String detail = run.calls().size() + " requests; " + unavailable + " documented 503 (Retry-After) and " + outcomeUnknown
                + " documented 500 \"outcome unknown\" (a commit cut off), all served during a database outage or within "
                + DATABASE_RECOVERY.toSeconds() + " s after it; " + unanswered + " without an answer"
                + (bad.isEmpty() ? "" : "; " + bad.size() + " unexpected, e.g. " + String.join("; ", bad.subList(0, Math.min(3, bad.size()))));
        return new Verdict("no 5xx but the documented ones of a database outage", bad.isEmpty(), detail);
    }

    static Verdict ordersExactlyOnce(ChaosObservations run) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, Long> ack : run.acknowledged().entrySet()) {
            List<Long> ids = run.stored().getOrDefault(ack.getKey(), List.of());
            if (!ids.equals(List.of(ack.getValue()))) {
                bad.add("order " + ack.getKey() + " acknowledged as id " + ack.getValue() + ", stored as " + ids);
            }
        }
        for (Map.Entry<String, List<Long>> row : run.stored().entrySet()) {
            if (row.getValue().size() > 1 && !run.acknowledged().containsKey(row.getKey())) {
                bad.add("unacknowledged order " + row.getKey() + " stored " + row.getValue().size() + " times");
            }
        }
        long unacknowledgedStored = run.stored().keySet().stream().filter(t -> !run.acknowledged().containsKey(t)).count();
        boolean held = bad.isEmpty() && !run.acknowledged().isEmpty();
        String detail = run.acknowledged().size() + " acknowledged (201), each stored once: " + bad.isEmpty() + "; "
                + unacknowledgedStored + " stored without an acknowledgement (answer lost or 503 after the commit: allowed, at most once)"
                + (run.acknowledged().isEmpty() ? "; NO order was acknowledged" : "")
                + (bad.isEmpty() ? "" : "; " + String.join("; ", bad.subList(0, Math.min(5, bad.size()))));
        return new Verdict("every acknowledged order stored exactly once", held, detail);
    }

    static Verdict apiRateLimitBounded(ChaosObservations run) {
        Limit limit = run.apiLimit();
        long w = limit.window().toMillis();
        int limited = 0;
        int worstExcess = Integer.MIN_VALUE;
        String worst = "no window";
        int quietMax = 0;
        int quietWindows = 0;
        Map<String, List<Call>> byClient = byClient(run, Purpose.RATE_LIMITED);
        for (Map.Entry<String, List<Call>> client : byClient.entrySet()) {
            Map<Long, Integer> admitted = new TreeMap<>();
            for (Call call : client.getValue()) {
                if (call.status() == 429) {
                    limited++;
                }
                long window = Math.floorDiv(call.sent().toEpochMilli(), w);
                if (call.status() > 0 && call.status() != 429 && Math.floorDiv(call.received().toEpochMilli(), w) == window) {
                    admitted.merge(window, 1, Integer::sum);
                }
            }
            for (Map.Entry<Long, Integer> window : admitted.entrySet()) {
                Instant start = Instant.ofEpochMilli(window.getKey() * w);
                Instant end = start.plusMillis(w);
                int outages = outages(run, start, end);
                int restarts = emptyRestarts(run, start.minusMillis(w), end);
                // the ratelimit README's price of a timeout before the breaker opens: admitted when the fallback
                // has room, yet counted neither there nor (surely) in Redis; every failed call of any key is an upper bound
                int uncounted = (int) run.failedRedisCalls().stream().filter(t -> !t.isBefore(start) && t.isBefore(end)).count();
                int bound = limit.permits() * (1 + outages + restarts) + uncounted;
                if (outages == 0 && restarts == 0 && uncounted == 0) {
                    quietWindows++;
                    quietMax = Math.max(quietMax, window.getValue());
                }
                if (window.getValue() - bound > worstExcess) {
                    worstExcess = window.getValue() - bound;
                    worst = window.getValue() + " admitted to " + client.getKey() + " in [" + start + ", " + end + ") against a bound of "
                            + bound + " (" + outages + " outage(s), " + restarts + " empty restart(s), " + uncounted + " failed Redis call(s))";
                }
            }
        }
        boolean held = worstExcess <= 0 && limited > 0;
        String detail = "limit " + limit.permits() + " per " + limit.window().toSeconds() + " s per address, bound L x (1 + outages"
                + " + empty Redis restarts) + failed Redis calls per window (ratelimit README, N=1, share 1); " + limited
                + " answers 429; " + quietWindows + " client windows without an outage or a failed Redis call, most admitted in one: "
                + quietMax + "; closest to the bound: " + worst
                + (limited == 0 ? "; NO request was ever limited" : "");
        return new Verdict("API rate limit held within the outage bound", held, detail);
    }

    static Verdict loginGuessingBounded(ChaosObservations run) {
        Limit limit = run.loginLimit();
        Duration w = limit.window();
        int blocked = 0;
        int failures = 0;
        int worstExcess = Integer.MIN_VALUE;
        String worst = "no failure";
        for (Map.Entry<String, List<Call>> client : byClient(run, Purpose.WRONG_PASSWORD).entrySet()) {
            List<Call> wrong = new ArrayList<>();
            for (Call call : client.getValue()) {
                if (call.status() == 429) {
                    blocked++;
                } else if (call.status() == 401) {
                    wrong.add(call);
                }
            }
            failures += wrong.size();
            for (Call anchor : wrong) {
                Instant spanEnd = anchor.sent().plus(w);
                // every guess both sent and answered within [anchor.sent, anchor.sent + window) was checked inside one window
                int inSpan = (int) wrong.stream().filter(c -> !c.sent().isBefore(anchor.sent()) && c.received().isBefore(spanEnd)).count();
                int outages = outages(run, anchor.sent().minus(w), spanEnd);
                int restarts = emptyRestarts(run, anchor.sent().minus(w), spanEnd);
                int bound = limit.permits() * (1 + outages + restarts);
                if (inSpan - bound > worstExcess) {
                    worstExcess = inSpan - bound;
                    worst = inSpan + " wrong passwords checked for " + client.getKey() + " within " + w.toSeconds() + " s from "
                            + anchor.sent() + " against a bound of " + bound;
                }
            }
        }
        boolean held = worstExcess <= 0 && blocked > 0;
        String detail = limit.permits() + " failures per " + w.toSeconds() + " s per user and address, one more maximum per outage"
                + " and per empty restart (ratelimit README, LOCAL_SHARE); " + failures + " wrong passwords checked, " + blocked
                + " attempts refused 429; closest to the bound: " + worst + (blocked == 0 ? "; the guesser was NEVER blocked" : "");
        return new Verdict("login guessing held within the outage bound", held, detail);
    }

    static Verdict backupsVerify(ChaosObservations run) {
        List<String> bad = run.backups().stream().filter(b -> b.status() != 200 || !"PASSED".equals(b.verification()))
                .map(b -> b.id() + ": " + b.status() + " " + b.verification()).toList();
        boolean held = bad.isEmpty() && !run.backups().isEmpty();
        String detail = run.backups().size() + " backups listed, " + (run.backups().size() - bad.size()) + " verified again"
                + " (checksum + pg_restore reading the archive)" + (run.backups().isEmpty() ? "; NONE listed" : "")
                + (bad.isEmpty() ? "" : "; failed: " + String.join(", ", bad));
        return new Verdict("every backup listed as good verifies", held, detail);
    }

    static Verdict healthUp(ChaosObservations run) {
        ChaosObservations.HealthCheck health = run.health();
        boolean held = health.status() == 200 && "pass".equals(health.healthStatus());
        return new Verdict("health back to UP", held, "/health answered " + health.status() + " \"" + health.healthStatus()
                + "\" " + health.afterLastFault().toMillis() / 1000.0 + " s after the last fault was healed");
    }

    static Verdict noSecretInLogs(ChaosObservations run) {
        List<String> found = new ArrayList<>();
        long chars = 0;
        for (Map.Entry<String, String> log : run.logs().entrySet()) {
            chars += log.getValue().length();
            for (Map.Entry<String, String> secret : run.secrets().entrySet()) {
                if (!secret.getValue().isEmpty() && log.getValue().contains(secret.getValue())) {
                    found.add(secret.getKey() + " in " + log.getKey());
                }
            }
        }
        boolean held = found.isEmpty() && chars > 0 && !run.secrets().isEmpty();
        String detail = "searched " + chars + " characters (" + String.join(", ", run.logs().keySet()) + ") for "
                + String.join(", ", run.secrets().keySet()) + (found.isEmpty() ? ": none found" : ": FOUND " + String.join("; ", found))
                + (chars == 0 ? "; NOTHING was logged" : "");
        return new Verdict("no secret in the logs", held, detail);
    }

    /** In-memory periods of the limiter overlapping [start, end), or the Redis faults overlapping it when more. */
    private static int outages(ChaosObservations run, Instant start, Instant end) {
        long logged = run.fallbacks().stream().filter(p -> overlaps(p.start(), p.end(), start, end)).count();
        long injected = run.faults().stream().filter(f -> f.kind().redisOutage() && overlaps(f.start(), f.end(), start, end)).count();
        return (int) Math.max(logged, injected);
    }

    /** Redis restarts (with an empty data set) in [start, end). */
    private static int emptyRestarts(ChaosObservations run, Instant start, Instant end) {
        return (int) run.faults().stream().filter(f -> f.kind() == FaultKind.REDIS_KILLED && overlaps(f.end(), f.end(), start, end)).count();
    }

    private static boolean overlaps(Instant aStart, Instant aEnd, Instant bStart, Instant bEnd) {
        return !aEnd.isBefore(bStart) && aStart.isBefore(bEnd);
    }

    private static Map<String, List<Call>> byClient(ChaosObservations run, Purpose purpose) {
        return run.calls().stream().filter(c -> c.purpose() == purpose)
                .sorted(Comparator.comparing(Call::sent))
                .collect(Collectors.groupingBy(Call::client, TreeMap::new, Collectors.toList()));
    }

    private static String abbreviate(String body) {
        return body.length() <= 80 ? body : body.substring(0, 80) + "...";
    }
}
