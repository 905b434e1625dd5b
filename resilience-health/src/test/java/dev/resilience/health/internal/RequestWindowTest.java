package dev.resilience.health.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestWindowTest {

    private static final long SECOND = 1_000_000_000L;
    private final RequestWindow window = new RequestWindow(Duration.ofMinutes(5));

    @Test
    void percentilesAreWithinOneEighthOfTheTrueValue() {
        for (int i = 1; i <= 1000; i++) {
            window.record(0, i * 1_000_000L, false);
        }

        RequestWindow.Snapshot snapshot = window.snapshot(0);

        assertThat(snapshot.percentileSeconds(0.5)).isCloseTo(0.5, within(0.5 / 8));
        assertThat(snapshot.percentileSeconds(0.95)).isCloseTo(0.95, within(0.95 / 8));
        assertThat(snapshot.percentileSeconds(0.99)).isCloseTo(0.99, within(0.99 / 8));
        assertThat(snapshot.requests()).isEqualTo(1000);
    }

    @Test
    void everyBucketStartsWhereThePreviousEnds() {
        for (int bucket = 1; bucket < RequestWindow.BUCKETS; bucket++) {
            assertThat(RequestWindow.lowerMicros(bucket)).isEqualTo(RequestWindow.upperMicros(bucket - 1));
            assertThat(RequestWindow.bucket(RequestWindow.lowerMicros(bucket) * 1000)).isEqualTo(bucket);
        }
        assertThat(RequestWindow.bucket(Long.MAX_VALUE)).isEqualTo(RequestWindow.BUCKETS - 1);
    }

    @Test
    void requestsLeaveTheWindowAfterFiveMinutes() {
        window.record(0, SECOND, true);
        window.record(200 * SECOND, SECOND, false);

        assertThat(window.snapshot(299 * SECOND).requests()).isEqualTo(2);
        assertThat(window.snapshot(300 * SECOND).requests()).isEqualTo(1);
        assertThat(window.snapshot(300 * SECOND).serverErrors()).isZero();
        assertThat(window.snapshot(600 * SECOND).percentileSeconds(0.95)).isNaN();
    }

    @Test
    void aSlotIsClearedWhenItsTurnComesAgain() {
        window.record(0, SECOND, true);

        window.record(300 * SECOND, 2 * SECOND, false);

        RequestWindow.Snapshot snapshot = window.snapshot(300 * SECOND);
        assertThat(snapshot.requests()).isEqualTo(1);
        assertThat(snapshot.serverErrors()).isZero();
        assertThat(snapshot.percentileSeconds(1.0)).isCloseTo(2.0, within(0.25));
    }
}
