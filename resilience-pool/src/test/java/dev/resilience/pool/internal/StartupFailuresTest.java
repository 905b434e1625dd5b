package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.pool.PoolStartupException;
import dev.resilience.pool.PoolStartupException.Reason;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StartupFailuresTest {

    @Test
    void wrongPasswordIsBadCredentials() {
        assertThat(reasonOf(new SQLException("password authentication failed", "28P01"))).isEqualTo(Reason.BAD_CREDENTIALS);
    }

    @Test
    void refusedConnectionIsUnreachable() {
        assertThat(reasonOf(new SQLException("Connection refused", "08001", new ConnectException("refused"))))
                .isEqualTo(Reason.UNREACHABLE);
    }

    @Test
    void unknownDatabaseIsReported() {
        assertThat(reasonOf(new SQLException("database does not exist", "3D000"))).isEqualTo(Reason.UNKNOWN_DATABASE);
    }

    @Test
    void messageRedactsAPasswordInTheUrl() {
        PoolStartupException e = StartupFailures.classify("p", "jdbc:postgresql://db/app?password=hunter2", "me",
                new RuntimeException("Failed to initialize pool", new SQLException("boom", "XX000")));

        assertThat(e.reason()).isEqualTo(Reason.OTHER);
        assertThat(e).hasMessageContaining("password=***").hasMessageNotContaining("hunter2");
    }

    private static Reason reasonOf(SQLException cause) {
        return StartupFailures.classify("p", "jdbc:postgresql://db/app", "me", new RuntimeException("Failed to initialize pool", cause)).reason();
    }
}
