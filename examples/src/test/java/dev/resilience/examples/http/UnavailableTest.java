package dev.resilience.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.pool.OutcomeUnknownException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class UnavailableTest {

    @Test
    void aCommitCutOffIsOutcomeUnknownAndNotARetryLater() {
        // what the pool throws when the connection dies with the COMMIT in flight (the chaos run met it)
        Exception cutCommit = new IllegalStateException("wrapped", new OutcomeUnknownException("commit in flight",
                new SQLException("An I/O error occurred while sending to the backend.", "08006")));

        assertThat(Unavailable.isOutcomeUnknown(cutCommit)).isTrue();
        assertThat(Unavailable.isTemporary(cutCommit)).isFalse();
    }

    @Test
    void aLostConnectionBeforeTheCommitIsARetryLaterNotOutcomeUnknown() {
        Exception refused = new SQLTransientConnectionException("Connection is not available", "08001");

        assertThat(Unavailable.isTemporary(refused)).isTrue();
        assertThat(Unavailable.isOutcomeUnknown(refused)).isFalse();
        assertThat(Unavailable.isOutcomeUnknown(new UncheckedIOException(new java.io.IOException("disk")))).isFalse();
    }
}
