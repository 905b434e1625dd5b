package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.testkit.ManualClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadOnlyEvictionTest {

    private final ManualClock clock = new ManualClock();
    private final ReadOnlyEviction eviction =
            new ReadOnlyEviction("unit", clock, Duration.ofSeconds(5), Duration.ofMinutes(1), PoolMetrics.NONE);
    private final List<Long> evictedAtSeconds = new ArrayList<>();
    private final long start = clock.nanoTime();

    ReadOnlyEvictionTest() {
        eviction.attach(() -> evictedAtSeconds.add((clock.nanoTime() - start) / 1_000_000_000L));
    }

    @Test
    void demotionEvictsThePoolOnceAndFurtherFailuresWithinTheBackoffEvictNothing() {
        // Given a primary that answers 25006 on read-write connections
        // When writes keep failing, 100 a second for 4 s
        for (int i = 0; i < 400; i++) {
            eviction.readOnlyTransactionFailed(connection(false));
            clock.advance(Duration.ofMillis(10));
        }

        // Then the pool was evicted once, not once per failed write
        assertThat(evictedAtSeconds).containsExactly(0L);
    }

    @Test
    void whileThePrimaryStaysReadOnlyEvictionsBackOffTo5And10And20sUpToAMinute() {
        // Given a primary that stays read-only for 5 minutes, with writes failing 10 times a second
        for (int i = 0; i < 3000; i++) {
            eviction.readOnlyTransactionFailed(connection(false));
            clock.advance(Duration.ofMillis(100));
        }

        // Then evictions (each reopening at most the pool's size) came at growing intervals, then once a minute
        assertThat(evictedAtSeconds).containsExactly(0L, 5L, 15L, 35L, 75L, 135L, 195L, 255L);
    }

    @Test
    void aLaterDemotionAfterAQuietMinuteStartsWithAFreshEviction() {
        // Given a demotion that evicted twice and ended
        eviction.readOnlyTransactionFailed(connection(false));
        clock.advance(Duration.ofSeconds(5));
        eviction.readOnlyTransactionFailed(connection(false));
        clock.advance(Duration.ofMinutes(2));

        // When the next failover demotes the primary again
        eviction.readOnlyTransactionFailed(connection(false));
        clock.advance(Duration.ofSeconds(5));
        eviction.readOnlyTransactionFailed(connection(false));

        // Then it is evicted at once, and again after the initial 5 s backoff
        assertThat(evictedAtSeconds).containsExactly(0L, 5L, 125L, 130L);
    }

    @Test
    void writeInATransactionTheApplicationMadeReadOnlyIsNotTakenForADemotion() {
        eviction.readOnlyTransactionFailed(connection(true));

        assertThat(evictedAtSeconds).isEmpty();
    }

    private static Connection connection(boolean readOnly) {
        Connection connection = new FakeConnection().connection();
        try {
            connection.setReadOnly(readOnly);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return connection;
    }
}
