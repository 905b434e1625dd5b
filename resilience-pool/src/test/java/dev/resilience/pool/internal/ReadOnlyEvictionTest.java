package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import dev.resilience.testkit.ManualClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadOnlyEvictionTest {

    private static final SQLException READ_ONLY = new SQLException("cannot execute INSERT in a read-only transaction", "25006");

    private final ManualClock clock = new ManualClock();
    private final ReadOnlyEviction eviction = new ReadOnlyEviction("unit", clock, Duration.ofSeconds(5), PoolMetrics.NONE);

    @Test
    void readOnlyTransactionAloneDoesNotEvictSinceHikariCannotTellWhoMadeItReadOnly() {
        assertThat(eviction.adjudicate(READ_ONLY)).isEqualTo(Override.CONTINUE_EVICT);
    }

    @Test
    void afterADemotionOnAReadWriteConnectionFurtherReadOnlyConnectionsAreForcedOutDuringTheQuietPeriod() {
        eviction.readOnlyTransactionFailed(connection(false));

        assertThat(eviction.adjudicate(READ_ONLY)).isEqualTo(Override.MUST_EVICT);
        clock.advance(Duration.ofSeconds(5));
        assertThat(eviction.adjudicate(READ_ONLY)).isEqualTo(Override.CONTINUE_EVICT);
    }

    @Test
    void writeInATransactionTheApplicationMadeReadOnlyIsNotTakenForADemotion() {
        eviction.readOnlyTransactionFailed(connection(true));

        assertThat(eviction.adjudicate(READ_ONLY)).isEqualTo(Override.CONTINUE_EVICT);
    }

    @Test
    void otherFailuresAreLeftToHikariCP() {
        eviction.readOnlyTransactionFailed(connection(false));

        assertThat(eviction.adjudicate(new SQLException("deadlock detected", "40P01"))).isEqualTo(Override.CONTINUE_EVICT);
        assertThat(eviction.adjudicate(new SQLException("no state"))).isEqualTo(Override.CONTINUE_EVICT);
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
