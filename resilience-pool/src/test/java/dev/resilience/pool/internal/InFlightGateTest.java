package dev.resilience.pool.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InFlightGateTest {

    @Test
    void closingWithNothingInFlightReturnsAtOnceAndRejectsNewUnits() throws InterruptedException {
        InFlightGate gate = new InFlightGate();

        assertThat(gate.close(Duration.ZERO)).isTrue();
        assertThat(gate.enter()).isFalse();
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void closingReportsUnitsStillRunningAfterTheTimeout() throws InterruptedException {
        InFlightGate gate = new InFlightGate();
        assertThat(gate.enter()).isTrue();

        assertThat(gate.close(Duration.ZERO)).isFalse();
    }

    @Test
    void lastUnitToFinishReleasesTheClose() throws InterruptedException {
        InFlightGate gate = new InFlightGate();
        gate.enter();
        gate.close(Duration.ZERO);

        gate.exit();

        assertThat(gate.close(Duration.ZERO)).isTrue();
    }
}
