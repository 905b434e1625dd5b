package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private final RequestMetrics metrics = RequestMetrics.builder(meters).clock(clock)
            .routes("/", "/api/orders/{id}", "/api/orders/{id}/items/{item}").build();

    private boolean recordedAs(String path, int status, String uri) {
        long start = metrics.begin();
        metrics.end(start, "GET", path, status, null);
        return meters.find("http.server.requests").tag("uri", uri).tag("status", Integer.toString(status))
                .timer() != null;
    }

    @Test
    void recordsTheDurationFromTheClock() {
        long start = metrics.begin();
        clock.advance(Duration.ofMillis(250));
        metrics.end(start, "POST", "/api/orders/7", 201, null);

        assertThat(meters.get("http.server.requests").tag("uri", "/api/orders/{id}").tag("method", "POST")
                .timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250.0);
    }

    @Test
    void matchesNestedTemplatesAndTheRoot() {
        assertThat(recordedAs("/api/orders/7/items/3", 200, "/api/orders/{id}/items/{item}")).isTrue();
        assertThat(recordedAs("/", 204, "/")).isTrue();
        assertThat(recordedAs("/api/orders/7/", 201, "/api/orders/{id}")).isTrue();
    }

    @Test
    void groupsUnmatchedRedirectsAndOthersWithoutTheRawPath() {
        assertThat(recordedAs("/old/page/9", 301, "REDIRECTION")).isTrue();
        assertThat(recordedAs("/weird/9", 500, "UNKNOWN")).isTrue();
        assertThat(meters.find("http.server.requests").timers()).extracting(t -> t.getId().getTag("uri"))
                .doesNotContain("/old/page/9", "/weird/9");
    }

    @Test
    void nonStandardMethodsAreGroupedAsUnknown() {
        long start = metrics.begin();
        metrics.end(start, "BREW", "/api/orders/1", 405, null);

        assertThat(meters.get("http.server.requests").tag("method", "UNKNOWN").timer().count()).isEqualTo(1);
    }

    @Test
    void recordsTheExceptionClassName() {
        long start = metrics.begin();
        metrics.end(start, "GET", "/api/orders/1", 500, new IllegalStateException("boom"));

        assertThat(meters.get("http.server.requests").tag("exception", "IllegalStateException").timer().count())
                .isEqualTo(1);
    }

    @Test
    void healthProbesAreNotRecordedByDefaultButLeaveTheInFlightCount() {
        long start = metrics.begin();

        metrics.endHealthProbe(start, "GET", "/health", 503);

        assertThat(meters.find("http.server.requests").timers()).isEmpty();
        assertThat(metrics.inFlight()).isZero();
        assertThat(metrics.errorRatio()).isNaN();
    }

    @Test
    void rejectsNewRequestsOnceStoppedAccepting() {
        metrics.stopAccepting();

        assertThat(metrics.begin()).isEqualTo(RequestMetrics.REJECTED);
        assertThat(metrics.inFlight()).isZero();
    }

    @Test
    void awaitIdleReturnsAtOnceWhenNothingIsInFlight() throws InterruptedException {
        assertThat(metrics.awaitIdle(Duration.ZERO)).isTrue();
    }

    @Test
    void awaitIdleGivesUpAfterTheTimeoutWhileARequestRuns() throws InterruptedException {
        metrics.begin();

        assertThat(metrics.awaitIdle(Duration.ZERO)).isFalse();
    }

    @Test
    void rejectsMalformedTemplates() {
        assertThatThrownBy(() -> RequestMetrics.builder(meters).routes("api/orders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api/orders");
        assertThatThrownBy(() -> RequestMetrics.builder(meters).routes("/api/order-{id}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/api/order-{id}");
    }

    @Test
    void rejectsPercentilesOutsideZeroToOne() {
        assertThatThrownBy(() -> RequestMetrics.builder(meters).percentiles(0.5, 95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percentiles");
    }
}
