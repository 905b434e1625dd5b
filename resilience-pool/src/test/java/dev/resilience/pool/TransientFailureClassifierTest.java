package dev.resilience.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TransientFailureClassifierTest {

    private final TransientFailureClassifier postgres = TransientFailureClassifier.postgres();

    @ParameterizedTest
    @ValueSource(strings = {"40001", "40P01", "08000", "08003", "08006", "08001", "57P01", "57P02", "57P03", "53300", "25006"})
    void transientStatesAreRetried(String state) {
        assertThat(postgres.isTransient(new SQLException("x", state))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"42601", "42P01", "23505", "23503", "57014", "22001", "22P02", "XX000"})
    void permanentStatesAreNotRetried(String state) {
        assertThat(postgres.isTransient(new SQLException("x", state))).isFalse();
    }

    @Test
    void wrappedTransientFailureIsFound() {
        SQLException wrapper = new SQLException("batch failed", "XX000", new SQLException("deadlock", "40P01"));

        assertThat(postgres.isTransient(wrapper)).isTrue();
    }

    @Test
    void usersCanAddTheirOwnStates() {
        TransientFailureClassifier extended = postgres.or(e -> "55P03".equals(e.getSQLState()));

        assertThat(extended.isTransient(new SQLException("lock not available", "55P03"))).isTrue();
        assertThat(extended.isTransient(new SQLException("x", "40001"))).isTrue();
        assertThat(extended.isTransient(new SQLException("x", "23505"))).isFalse();
    }
}
