package dev.resilience.examples.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.examples.chaos.ChaosInvariants.Verdict;
import dev.resilience.examples.chaos.ChaosObservations.BackupCheck;
import dev.resilience.examples.chaos.ChaosObservations.Call;
import dev.resilience.examples.chaos.ChaosObservations.Fault;
import dev.resilience.examples.chaos.ChaosObservations.FaultKind;
import dev.resilience.examples.chaos.ChaosObservations.HealthCheck;
import dev.resilience.examples.chaos.ChaosObservations.Limit;
import dev.resilience.examples.chaos.ChaosObservations.Period;
import dev.resilience.examples.chaos.ChaosObservations.Purpose;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every invariant of the chaos run can fail: a run that kept its promises passes them all, and each
 * test below breaks one condition in the observations and sees exactly that invariant fail.
 */
class ChaosInvariantsTest {

    /** Aligned to a 10 s window so the rate-limit windows are easy to reason about. */
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Limit API = new Limit(3, Duration.ofSeconds(10));
    static final Limit LOGIN = new Limit(2, Duration.ofSeconds(20));
    static final String SECRET = "s3cret-redis-password";
    static final String OUTCOME_UNKNOWN = "{\"error\":\"" + dev.resilience.examples.http.JsonEndpoint.OUTCOME_UNKNOWN + "\"}";

    @Test
    void aRunThatKeptItsPromisesHoldsEveryInvariant() {
        List<Verdict> verdicts = ChaosInvariants.check(goodRun());

        assertThat(verdicts).hasSize(8).allMatch(Verdict::held, "held");
        assertThat(ChaosInvariants.table(verdicts)).contains("| no secret in the logs | yes |").doesNotContain(SECRET);
    }

    @Test
    void aFaultTheScheduleDidNotInjectFails() {
        assertOnlyBroken("every fault of the schedule happened", run -> with(run, run.faults().stream()
                .filter(f -> f.kind() != FaultKind.PG_DUMP_KILLED).toList()));
    }

    @Test
    void a500Fails() {
        assertOnlyBroken("no 5xx but the documented ones of a database outage",
                run -> withCall(run, new Call(Purpose.ORDER_READ, "10.2.0.1", 500, false, "{\"error\":\"internal error\"}", at(31), at(31))));
    }

    @Test
    void a503OutsideADatabaseOutageFails() {
        assertOnlyBroken("no 5xx but the documented ones of a database outage", run -> withCall(run,
                new Call(Purpose.ORDER_WRITE, "10.1.1.9", 503, true, "{\"error\":\"temporarily unavailable, retry shortly\"}", at(1), at(1))));
    }

    @Test
    void anOutcomeUnknown500OutsideADatabaseOutageFails() {
        assertOnlyBroken("no 5xx but the documented ones of a database outage", run -> withCall(run,
                new Call(Purpose.ORDER_WRITE, "10.1.1.9", 500, false, OUTCOME_UNKNOWN, at(2), at(2))));
    }

    @Test
    void a503InFlightWhenTheDatabaseStoppedIsDocumented() {
        // sent a moment before the stop at 20 s, answered during it
        ChaosObservations run = withCall(goodRun(), new Call(Purpose.ORDER_READ, "10.2.0.9", 503, true,
                "{\"error\":\"temporarily unavailable, retry shortly\"}", at(19), at(21)));

        assertThat(ChaosInvariants.check(run)).allMatch(Verdict::held);
    }

    @Test
    void a503ToARequestNotNeedingTheDatabaseFails() {
        // the Redis outage at 40..45 s is no excuse: the limiter must decide in memory
        assertOnlyBroken("no 5xx but the documented ones of a database outage", run -> withCall(run,
                new Call(Purpose.LOGIN, "10.8.0.1", 503, true, "{\"error\":\"temporarily unavailable, retry shortly\"}", at(31), at(31))));
    }

    @Test
    void anAcknowledgedOrderMissingFails() {
        assertOnlyBroken("every acknowledged order stored exactly once", run -> new ChaosObservations(run.calls(), run.faults(),
                run.acknowledged(), Map.of("chaos-1-1", List.of(1L)), run.apiLimit(), run.loginLimit(), run.fallbacks(), run.failedRedisCalls(), run.backups(),
                run.health(), run.logs(), run.secrets()));
    }

    @Test
    void anAcknowledgedOrderStoredTwiceFails() {
        assertOnlyBroken("every acknowledged order stored exactly once", run -> new ChaosObservations(run.calls(), run.faults(),
                run.acknowledged(), Map.of("chaos-1-1", List.of(1L), "chaos-1-2", List.of(2L, 3L)), run.apiLimit(), run.loginLimit(),
                run.fallbacks(), run.failedRedisCalls(), run.backups(), run.health(), run.logs(), run.secrets()));
    }

    @Test
    void moreAdmittedThanTheLimitWithoutAnOutageFails() {
        // window [0 s, 10 s) has no fault: a fourth admitted request is over the limit of 3
        assertOnlyBroken("API rate limit held within the outage bound",
                run -> withCall(run, new Call(Purpose.RATE_LIMITED, "10.9.0.1", 200, false, "{}", at(8), at(8))));
    }

    @Test
    void moreAdmittedThanTheOutageBoundFails() {
        // window [40 s, 50 s) holds two Redis faults (killed, slow), one empty restart and one failed Redis call:
        // the bound is 3 x (1 + 2 + 1) + 1 = 13, and 14 came through
        assertOnlyBroken("API rate limit held within the outage bound", run -> {
            ChaosObservations more = run;
            for (int i = 0; i < 14; i++) {
                Instant t = at(41).plusMillis(500 * i);
                more = withCall(more, new Call(Purpose.RATE_LIMITED, "10.9.0.1", 200, false, "{}", t, t));
            }
            return more;
        });
    }

    @Test
    void aClientNeverLimitedFails() {
        assertOnlyBroken("API rate limit held within the outage bound", run -> with(run,
                run.calls().stream().filter(c -> !(c.purpose() == Purpose.RATE_LIMITED && c.status() == 429)).toList(), run.faults()));
    }

    @Test
    void moreWrongPasswordsThanTheLimitFails() {
        assertOnlyBroken("login guessing held within the outage bound",
                run -> withCall(run, new Call(Purpose.WRONG_PASSWORD, "10.7.0.1", 401, false, "{}", at(2), at(2))));
    }

    @Test
    void aBackupThatFailsVerificationFails() {
        assertOnlyBroken("every backup listed as good verifies", run -> new ChaosObservations(run.calls(), run.faults(),
                run.acknowledged(), run.stored(), run.apiLimit(), run.loginLimit(), run.fallbacks(), run.failedRedisCalls(),
                List.of(new BackupCheck("b1", 200, "PASSED"), new BackupCheck("b2", 500, "checksum mismatch")), run.health(), run.logs(),
                run.secrets()));
    }

    @Test
    void healthStillWarningFails() {
        assertOnlyBroken("health back to UP", run -> new ChaosObservations(run.calls(), run.faults(), run.acknowledged(),
                run.stored(), run.apiLimit(), run.loginLimit(), run.fallbacks(), run.failedRedisCalls(), run.backups(),
                new HealthCheck(200, "warn", Duration.ofSeconds(60)), run.logs(), run.secrets()));
    }

    @Test
    void aSecretInTheLogFailsAndIsNotPrinted() {
        UnaryOperator<ChaosObservations> leak = run -> new ChaosObservations(run.calls(), run.faults(), run.acknowledged(),
                run.stored(), run.apiLimit(), run.loginLimit(), run.fallbacks(), run.failedRedisCalls(), run.backups(), run.health(),
                Map.of("service log", "INFO connected to redis://:" + SECRET + "@127.0.0.1:6379"), run.secrets());

        assertOnlyBroken("no secret in the logs", leak);
        String table = ChaosInvariants.table(ChaosInvariants.check(leak.apply(goodRun())));
        assertThat(table).contains("FOUND Redis password in service log").doesNotContain(SECRET);
    }

    /** Fails unless {@code breaking} the good run fails {@code invariant} and only it. */
    private static void assertOnlyBroken(String invariant, UnaryOperator<ChaosObservations> breaking) {
        List<Verdict> verdicts = ChaosInvariants.check(breaking.apply(goodRun()));

        assertThat(verdicts).filteredOn(v -> !v.held()).extracting(Verdict::invariant).as(ChaosInvariants.table(verdicts))
                .containsExactly(invariant);
    }

    /**
     * A run that kept every promise: one fault of each kind, the database stopped from 20 to 30 s
     * (with a documented 503 at 25 s), Redis killed from 40 to 45 s; the rate-limited client gets 3
     * requests a window and then 429; the guesser 2 wrong passwords, then 429.
     */
    static ChaosObservations goodRun() {
        List<Fault> faults = List.of(
                new Fault(FaultKind.POSTGRES_STOPPED, at(20), at(30)),
                new Fault(FaultKind.POSTGRES_SLOW, at(32), at(34)),
                new Fault(FaultKind.REDIS_KILLED, at(40), at(45)),
                new Fault(FaultKind.REDIS_SLOW, at(46), at(48)),
                new Fault(FaultKind.PG_DUMP_KILLED, at(50), at(51)));
        assertThat(faults).extracting(Fault::kind).containsExactlyInAnyOrderElementsOf(EnumSet.allOf(FaultKind.class));
        List<Call> calls = new ArrayList<>();
        calls.add(new Call(Purpose.ORDER_WRITE, "10.1.1.1", 201, false, "{\"id\":1}", at(1), at(1)));
        calls.add(new Call(Purpose.ORDER_WRITE, "10.1.1.2", 201, false, "{\"id\":2}", at(2), at(2)));
        calls.add(new Call(Purpose.ORDER_WRITE, "10.1.1.3", 503, true, "{\"error\":\"temporarily unavailable, retry shortly\"}", at(25),
                at(25)));
        calls.add(new Call(Purpose.ORDER_WRITE, "10.1.1.4", 500, false, OUTCOME_UNKNOWN, at(33), at(33)));
        calls.add(new Call(Purpose.ORDER_READ, "10.2.0.1", -1, false, "java.net.http.HttpTimeoutException", at(26), at(41)));
        for (int s = 0; s < 10; s++) {
            calls.add(new Call(Purpose.RATE_LIMITED, "10.9.0.1", s < 3 ? 200 : 429, false, "{}", at(s), at(s).plusMillis(5)));
        }
        calls.add(new Call(Purpose.WRONG_PASSWORD, "10.7.0.1", 401, false, "{}", at(0), at(0)));
        calls.add(new Call(Purpose.WRONG_PASSWORD, "10.7.0.1", 401, false, "{}", at(1), at(1)));
        calls.add(new Call(Purpose.WRONG_PASSWORD, "10.7.0.1", 429, true, "{}", at(3), at(3)));
        calls.add(new Call(Purpose.LOGIN, "10.8.0.1", 200, false, "{}", at(4), at(4)));
        return new ChaosObservations(calls, faults, Map.of("chaos-1-1", 1L, "chaos-1-2", 2L),
                Map.of("chaos-1-1", List.of(1L), "chaos-1-2", List.of(2L)), API, LOGIN, List.of(new Period(at(40), at(46))), List.of(at(40)),
                List.of(new BackupCheck("b1", 200, "PASSED")), new HealthCheck(200, "pass", Duration.ofSeconds(4)),
                Map.of("service log", "INFO resilience-example listening on http://127.0.0.1:1234 (redis://***@127.0.0.1:6379)"),
                Map.of("Redis password", SECRET));
    }

    static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static ChaosObservations withCall(ChaosObservations run, Call call) {
        List<Call> calls = new ArrayList<>(run.calls());
        calls.add(call);
        return with(run, calls, run.faults());
    }

    static ChaosObservations with(ChaosObservations run, List<Fault> faults) {
        return with(run, run.calls(), faults);
    }

    static ChaosObservations with(ChaosObservations run, List<Call> calls, List<Fault> faults) {
        return new ChaosObservations(calls, faults, run.acknowledged(), run.stored(), run.apiLimit(), run.loginLimit(),
                run.fallbacks(), run.failedRedisCalls(), run.backups(), run.health(), run.logs(), run.secrets());
    }
}
