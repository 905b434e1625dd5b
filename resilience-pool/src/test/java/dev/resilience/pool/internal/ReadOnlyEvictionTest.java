package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.SQLExceptionOverride.Override;
import dev.resilience.testkit.ManualClock;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadOnlyEvictionTest {

    private final ReadOnlyEviction eviction =
            new ReadOnlyEviction("unit", new ManualClock(), Duration.ofSeconds(5), PoolMetrics.NONE);

    @Test
    void readOnlyTransactionForcesTheConnectionOut() {
        assertThat(eviction.adjudicate(new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .isEqualTo(Override.MUST_EVICT);
    }

    @Test
    void otherFailuresAreLeftToHikariCP() {
        assertThat(eviction.adjudicate(new SQLException("deadlock detected", "40P01"))).isEqualTo(Override.CONTINUE_EVICT);
        assertThat(eviction.adjudicate(new SQLException("no state"))).isEqualTo(Override.CONTINUE_EVICT);
    }
}
