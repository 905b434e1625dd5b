package dev.resilience.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void standsStillUntilAdvanced() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
        long nanos = clock.nanoTime();

        assertThat(clock.nanoTime()).isEqualTo(nanos);
        assertThat(clock.now()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    }

    @Test
    void advanceMovesMonotonicAndWallTimeTogether() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));

        clock.advance(Duration.ofMinutes(90));
        clock.advanceMillis(500);

        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMinutes(90).plusMillis(500).toNanos());
        assertThat(clock.now()).isEqualTo(Instant.parse("2026-03-01T11:30:00.500Z"));
        assertThat(clock.currentTimeMillis()).isEqualTo(clock.now().toEpochMilli());
        assertThat(clock.asJavaClock(ZoneOffset.UTC).instant()).isEqualTo(clock.now());
    }

    @Test
    void advanceToMovesToTheInstant() {
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));

        clock.advanceTo(Instant.parse("2026-03-02T02:00:00Z"));

        assertThat(clock.now()).isEqualTo(Instant.parse("2026-03-02T02:00:00Z"));
    }

    @Test
    void refusesToGoBack() {
        ManualClock clock = new ManualClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> clock.advanceTo(clock.now().minusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
