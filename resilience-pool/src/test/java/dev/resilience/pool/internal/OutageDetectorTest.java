package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutageDetectorTest {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final CircuitBreaker breaker = OutageDetector.defaultBreaker("unit", clock);
    private final CountingMetrics metrics = new CountingMetrics();
    private final AtomicInteger probes = new AtomicInteger();
    private OutageDetector.Probe probe = () -> probes.incrementAndGet();
    private OutageDetector.Borrow borrow = timeout -> new FakeConnection().connection();

    private final AtomicInteger aborts = new AtomicInteger();

    private OutageDetector detector(Duration connectionTimeout) {
        return new OutageDetector("unit", breaker, timeout -> borrow.borrow(timeout), connectionTimeout,
                () -> probe.connect(), Runnable::run, scheduler, clock, Duration.ofMillis(500), metrics,
                aborts::incrementAndGet);
    }

    /** A detector for tests of other classes: a healthy database, never probed. */
    static OutageDetector healthy(ManualClock clock) {
        return new OutageDetector("unit", CircuitBreaker.ofDefaults("unit"), timeout -> null, Duration.ofSeconds(1),
                () -> { }, Runnable::run, new ManualScheduler(clock), clock, Duration.ofMillis(500), PoolMetrics.NONE,
                () -> { });
    }

    /** HikariCP's timeout after waiting {@code millis}: the clock moves on, ticks fall due. */
    private SQLTransientConnectionException waited(long millis, SQLException lastConnectFailure) {
        scheduler.advance(Duration.ofMillis(millis));
        return new SQLTransientConnectionException("unit - Connection is not available, request timed out after "
                + millis + "ms", lastConnectFailure == null ? null : lastConnectFailure.getSQLState(), lastConnectFailure);
    }

    private static SQLException refused() {
        return new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    }

    @Test
    void refusedPhysicalConnectOpensTheBreakerAtOnce() {
        // Given a healthy pool
        OutageDetector detector = detector(CONNECTION_TIMEOUT);

        // When HikariCP's connect fails with connection refused
        detector.connectFailed(refused());

        // Then new callers are rejected without waiting
        assertThat(detector.isDown()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        assertThatThrownBy(() -> breaker.call(detector::acquire)).isInstanceOf(CallNotPermittedException.class);
        assertThat(metrics.outages).hasValue(1);
        // and the pool's connections are aborted once, so statements blocked on them fail now
        detector.connectFailed(refused());
        assertThat(aborts).hasValue(1);
    }

    @Test
    void callerAlreadyWaitingWhenTheOutageIsFoundFailsAfterOneSliceNotTheConnectionTimeout() {
        // Given a caller waiting for a connection while the pool's connect is refused
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        probe = () -> {
            throw refused();
        };
        borrow = timeout -> {
            detector.connectFailed(refused());
            throw waited(timeout, refused());
        };
        long start = clock.nanoTime();

        // When it waits
        // Then it is rejected after one slice (250 ms), not after 30 s
        assertThatThrownBy(detector::acquire).isInstanceOf(CallNotPermittedException.class);
        assertThat(Duration.ofNanos(clock.nanoTime() - start)).isEqualTo(OutageDetector.SLICE);
    }

    @Test
    void silentDatabaseIsFoundByOneProbeWhenNoAcquisitionMakesProgress() {
        // Given a database that does not answer: borrowing hangs, and so would a new connection
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        probe = () -> {
            probes.incrementAndGet();
            throw new SQLException("Connection attempt timed out.", "08001");
        };
        borrow = timeout -> {
            throw waited(timeout, null);
        };

        // When a caller waits
        // Then after a tick without progress one probe runs, fails, and the caller is released
        assertThatThrownBy(detector::acquire).isInstanceOf(CallNotPermittedException.class);
        assertThat(probes).hasValue(1);
        assertThat(detector.isDown()).isTrue();
    }

    @Test
    void statementThatMakesNoProgressOnASilentDatabaseIsReleasedByTheProbe() {
        // Given a statement blocked on a database that stopped answering
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        probe = () -> {
            probes.incrementAndGet();
            throw new SQLException("Connection attempt timed out.", "08001");
        };
        detector.operationStarted();

        // When two ticks pass without any statement or acquisition finishing
        scheduler.advance(Duration.ofMillis(400));

        // Then one probe found the database silent, and the connections were aborted
        assertThat(probes).hasValue(1);
        assertThat(detector.isDown()).isTrue();
        assertThat(aborts).hasValue(1);
    }

    @Test
    void aProbeThatGetsNoAnswerWithinItsLimitIsAnOutageBeforeItsConnectTimesOut() {
        // Given a statement blocked on a silent database, and a probe whose connect hangs (pgjdbc would
        // give up only after its whole-second connect timeout)
        java.util.List<Runnable> hangingProbes = new java.util.ArrayList<>();
        OutageDetector detector = new OutageDetector("unit", breaker, timeout -> borrow.borrow(timeout), CONNECTION_TIMEOUT,
                () -> probe.connect(), hangingProbes::add, scheduler, clock, Duration.ofMillis(500), metrics,
                aborts::incrementAndGet);
        detector.operationStarted();

        // When a tick without progress starts the probe, and the probe's answer limit passes
        scheduler.advance(Duration.ofMillis(200));
        assertThat(hangingProbes).hasSize(1);
        assertThat(detector.isDown()).isFalse();
        scheduler.advance(OutageDetector.PROBE_ANSWER);

        // Then the database counts as down, well within a second of the stall, and connections are aborted
        assertThat(detector.isDown()).isTrue();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
        assertThat(aborts).hasValue(1);
        assertThat(metrics.outages).hasValue(1);

        // and when the hanging probe finally connects, the database is back
        hangingProbes.get(0).run();
        assertThat(detector.isDown()).isFalse();
    }

    @Test
    void longStatementsOnAHealthyDatabaseCostOneProbeConnectionPerInterval() {
        // Given a report running for 5 s on a healthy database, nothing else finishing
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        detector.operationStarted();

        // When it runs
        scheduler.advance(Duration.ofSeconds(5));
        detector.operationFinished();

        // Then the probe connected at most once per 500 ms and nothing was opened or aborted
        assertThat(probes.get()).isBetween(1, 10);
        assertThat(detector.isDown()).isFalse();
        assertThat(aborts).hasValue(0);
    }

    @Test
    void connectThatBeganBeforeTheRecoveryAndFailsAfterItStartsNoNewOutage() {
        // Given an outage during which HikariCP began a connect that hangs
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        detector.connectFailed(refused());
        long hangingConnectBegan = detector.epoch();

        // When the probe finds the database back, and only then the hanging connect times out
        scheduler.advance(Duration.ofMillis(200));
        assertThat(detector.isDown()).isFalse();
        detector.connectFailed(new SQLException("Connection attempt timed out.", "08001"), hangingConnectBegan);

        // Then that stale failure is no new outage; a fresh one still is
        assertThat(detector.isDown()).isFalse();
        detector.connectFailed(refused(), detector.epoch());
        assertThat(detector.isDown()).isTrue();
    }

    @Test
    void probeClosesTheBreakerWhenTheDatabaseAnswersAgainAndCallersAreServed() throws Exception {
        // Given an outage, with the database still down for the first probe
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        detector.connectFailed(refused());
        probe = () -> {
            probes.incrementAndGet();
            throw refused();
        };
        scheduler.advance(Duration.ofMillis(300));
        assertThat(probes).hasValue(1);
        assertThat(detector.isDown()).isTrue();

        // When the database is back
        probe = () -> probes.incrementAndGet();
        scheduler.advance(Duration.ofMillis(600));

        // Then the next probe closes the breaker, and callers get connections again
        assertThat(probes).hasValue(2);
        assertThat(detector.isDown()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat((Connection) breaker.call(detector::acquire)).isNotNull();
    }

    @Test
    void whileDownTheDatabaseIsProbedByOneConnectionPerIntervalOnly() {
        // Given an outage lasting 10 s, with statements failing and callers turned away meanwhile
        OutageDetector detector = detector(CONNECTION_TIMEOUT);
        detector.connectFailed(refused());
        probe = () -> {
            probes.incrementAndGet();
            throw refused();
        };

        // When 10 s pass and connections keep breaking
        for (int i = 0; i < 100; i++) {
            detector.connectionBroke();
            scheduler.advance(Duration.ofMillis(100));
        }

        // Then there was at most one probe per 500 ms (checked on 100 ms ticks): no reconnect herd
        assertThat(probes.get()).isBetween(15, 20);
    }

    @Test
    void brokenConnectionOnAHealthyServerAsksForOneProbeAndOpensNothing() {
        // Given a healthy database where one backend was terminated (pg_terminate_backend: 57P01)
        OutageDetector detector = detector(CONNECTION_TIMEOUT);

        // When several statements report the broken connection at once
        detector.connectionBroke();
        detector.connectionBroke();
        detector.connectionBroke();

        // Then one probe ran, it connected, and nothing is rejected
        assertThat(probes).hasValue(1);
        assertThat(detector.isDown()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void busyPoolTimeoutsAreCountedAsSaturationAndNeverOpenTheBreaker() {
        // Given a 2-connection pool with a 500 ms acquire timeout, busy, on a healthy database
        OutageDetector detector = detector(Duration.ofMillis(500));
        borrow = timeout -> {
            throw waited(timeout, null);
        };

        // When a burst of callers each waits the whole timeout
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(detector::acquire))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("request timed out");
        }

        // Then they are saturation: counted, probed at most once per interval, the breaker stays closed
        assertThat(metrics.acquireTimeouts).hasValue(10);
        assertThat(detector.isDown()).isFalse();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        borrow = timeout -> new FakeConnection().connection();
        assertThat(breaker.tryAcquirePermission()).isTrue();
    }

    @Test
    void timeoutCarryingAFailedConnectCountsTowardsTheBreakerAndNotAsSaturation() {
        // Given acquisitions failing because connects fail, with the detector not (yet) told
        OutageDetector detector = detector(Duration.ofMillis(500));
        borrow = timeout -> {
            throw waited(timeout, new SQLException("Connection attempt timed out.", "08001"));
        };

        // When five callers time out that way
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> breaker.call(detector::acquire)).isInstanceOf(SQLException.class);
        }

        // Then the breaker's window opens it, and none is counted as saturation
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(metrics.acquireTimeouts).hasValue(0);
    }

    /** Counts what the detector reports. */
    private static final class CountingMetrics implements PoolMetrics {
        final AtomicInteger acquireTimeouts = new AtomicInteger();
        final AtomicInteger outages = new AtomicInteger();

        @Override
        public void acquireTimeout() {
            acquireTimeouts.incrementAndGet();
        }

        @Override
        public void outage() {
            outages.incrementAndGet();
        }
    }
}
