package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.resilience.core.CallNotPermittedException;
import dev.resilience.testkit.PostgresCluster;
import dev.resilience.testkit.TcpProxy;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outage timeline with default pool settings, against a PostgreSQL cluster of the test's own: a
 * steady load of units of work while the server stops (connections refused) or stops answering
 * (blackholed by a {@link TcpProxy}), then returns. Measures the time to the first fast failure, how
 * many calls took longer than a second, and the time to recovery; the README quotes the logged figures.
 */
class OutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(OutageIT.class);
    private static final int CALLERS = 8;
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.start();
        cluster.createDatabase("outage");
    }

    @AfterAll
    static void deleteCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** One unit of work: when it started and ended (nanoTime) and how. */
    private record Call(long start, long end, String outcome) {
        long millis() {
            return (end - start) / 1_000_000;
        }
    }

    /** Callers running {@code SELECT 1} units of work in a loop, each pausing 10 ms between calls. */
    private static final class Load implements AutoCloseable {
        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS);

        Load(ResilientDataSource db) {
            for (int i = 0; i < CALLERS; i++) {
                threads.execute(() -> {
                    while (running.get()) {
                        long start = System.nanoTime();
                        String outcome;
                        try {
                            db.transaction(c -> {
                                try (PreparedStatement ps = c.prepareStatement("SELECT 1"); ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    return rs.getInt(1);
                                }
                            });
                            outcome = "success";
                        } catch (CallNotPermittedException e) {
                            outcome = "rejected";
                        } catch (Exception e) {
                            outcome = "failed: " + e;
                        }
                        calls.add(new Call(start, System.nanoTime(), outcome));
                        try {
                            Thread.sleep(10); // the pace of the load, not a wait for a condition
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
        }

        long count(String outcome) {
            return calls.stream().filter(c -> c.outcome.equals(outcome)).count();
        }

        /** The end of the first call with {@code outcome} that ended after {@code after}, or -1. */
        long firstEnd(String outcome, long after) {
            return calls.stream().filter(c -> c.outcome.equals(outcome) && c.end > after).mapToLong(Call::end).min().orElse(-1);
        }

        /** Calls that were in flight or started between {@code from} and {@code to} and took over a second. */
        List<Call> slowBetween(long from, long to) {
            return calls.stream().filter(c -> c.end > from && c.start < to && c.end - c.start > SECOND)
                    .collect(Collectors.toList());
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).as("load threads ended").isTrue();
        }
    }

    @Test
    void callersFailWithinASecondWhileTheServerIsStoppedAndAreServedSoonAfterItReturns() throws Exception {
        // Given a pool with default settings, warm, under a steady load
        try (ResilientDataSource db = ResilientDataSource.builder().url(cluster.jdbcUrl("outage")).poolName("outage-stop")
                .build();
             Load load = new Load(db)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.count("success") >= 200);

            // When the server stops (pg_ctl stop -m fast: sessions cut, new connections refused) for 3 s
            long stopped = System.nanoTime();
            cluster.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.firstEnd("rejected", stopped) > 0);
            long firstFastFailure = load.firstEnd("rejected", stopped) - stopped;
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
            long restarting = System.nanoTime();
            cluster.startAgain();
            long ready = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.firstEnd("success", ready) > 0);
            long recovered = load.firstEnd("success", ready) - ready;
            List<Call> slow = load.slowBetween(stopped, restarting);
            long during = load.calls.stream().filter(c -> c.end > stopped && c.start < restarting).count();
            LOG.info("Outage timeline (stop): first fast failure after {} ms; {} of {} calls during the outage took over 1 s {}; "
                    + "first success {} ms after the server accepted connections again ({} ms after pg_ctl start)",
                    firstFastFailure / 1_000_000, slow.size(), during, slow.stream().map(Call::millis).collect(Collectors.toList()), recovered / 1_000_000,
                    (load.firstEnd("success", ready) - restarting) / 1_000_000);

            // Then callers failed fast within a second, at most the calls in flight waited longer, and
            // work succeeded again within a few seconds of the server's return
            assertThat(firstFastFailure).as("time to the first fast failure").isLessThan(SECOND);
            assertThat(slow).as("calls that took over a second during the outage").hasSizeLessThanOrEqualTo(CALLERS);
            assertThat(Duration.ofNanos(recovered)).as("time to recovery").isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void callersFailFastWhileTheServerDoesNotAnswerWithoutAHerdOfReconnects() throws Exception {
        // Given a pool with default settings reaching the server through a proxy, warm, under a steady load
        try (TcpProxy proxy = TcpProxy.start(cluster.host(), cluster.port());
             ResilientDataSource db = ResilientDataSource.builder()
                     .url("jdbc:postgresql://" + proxy.host() + ":" + proxy.port() + "/outage?user=postgres")
                     .poolName("outage-silent").build();
             Load load = new Load(db)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> load.count("success") >= 200);

            // When the server stops answering (packets held, connections left open) for 3 s
            long silent = System.nanoTime();
            int connectsBefore = proxy.acceptedConnections();
            proxy.blackhole();
            await().atMost(Duration.ofSeconds(20)).until(() -> load.firstEnd("rejected", silent) > 0);
            long firstFastFailure = load.firstEnd("rejected", silent) - silent;
            await().pollDelay(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> true);
            long healing = System.nanoTime();
            int connectsDuringOutage = proxy.acceptedConnections() - connectsBefore;
            proxy.heal();
            await().atMost(Duration.ofSeconds(30)).until(() -> load.firstEnd("success", healing) > 0);
            long recovered = load.firstEnd("success", healing) - healing;
            List<Call> slow = load.slowBetween(silent, healing);
            long during = load.calls.stream().filter(c -> c.end > silent && c.start < healing).count();
            LOG.info("Outage timeline (no answer): first fast failure after {} ms; {} of {} calls during the outage took "
                    + "over 1 s {}; {} connection attempts in {} s of silence; first success {} ms after the network healed",
                    firstFastFailure / 1_000_000, slow.size(), during, slow.stream().map(Call::millis).collect(Collectors.toList()),
                    connectsDuringOutage, (healing - silent) / SECOND, recovered / 1_000_000);

            // Then the silence was found by one probe within about a second, only calls started before
            // that waited longer, few connections were attempted, and work succeeded again soon after
            assertThat(firstFastFailure).as("time to the first fast failure").isLessThan(SECOND);
            assertThat(slow).as("calls that took over a second during the outage").hasSizeLessThanOrEqualTo(CALLERS);
            assertThat(connectsDuringOutage).as("connection attempts while silent").isLessThanOrEqualTo(15);
            assertThat(Duration.ofNanos(recovered)).as("time to recovery").isLessThan(Duration.ofSeconds(10));
        }
    }
}
