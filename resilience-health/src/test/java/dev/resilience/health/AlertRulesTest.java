package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthStatus;
import dev.resilience.testkit.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private final RequestMetrics requests = RequestMetrics.builder(meters).clock(clock).routes("/api/{x}").build();

    private AlertContext context() {
        return new AlertContext(meters, () -> HealthReport.of(List.of(), clock.now()), clock.now());
    }

    private void requests(int count, int status, Duration each) {
        for (int i = 0; i < count; i++) {
            long start = requests.begin();
            clock.advance(each);
            requests.end(start, "GET", "/api/x", status, null);
        }
    }

    @Test
    void errorRateHoldsWhenMoreThanFivePercentOfNewRequestsFail() {
        AlertRule rule = AlertRules.errorRateAbove(0.05);
        requests(90, 200, Duration.ZERO);
        requests(10, 503, Duration.ZERO);

        assertThat(rule.condition().isMet(context())).isTrue();
    }

    @Test
    void errorRateCoversTheLastFiveMinutesNotJustTheTimeSinceThePreviousRound() {
        AlertRule rule = AlertRules.errorRateAbove(0.05);
        requests(90, 200, Duration.ZERO);
        requests(10, 500, Duration.ZERO);
        rule.condition().isMet(context());
        clock.advance(Duration.ofSeconds(15));

        requests(20, 200, Duration.ZERO);

        assertThat(rule.condition().isMet(context())).as("10 errors in 120 requests").isTrue();
    }

    @Test
    void errorsOlderThanFiveMinutesNoLongerCount() {
        AlertRule rule = AlertRules.errorRateAbove(0.05);
        requests(10, 500, Duration.ZERO);
        clock.advance(Duration.ofMinutes(5));

        requests(100, 200, Duration.ZERO);

        assertThat(rule.condition().isMet(context())).isFalse();
    }

    @Test
    void errorRateCountsEveryRouteAndStatusInTheDenominator() {
        requests(4, 500, Duration.ZERO);
        for (int i = 0; i < 96; i++) {
            long start = requests.begin();
            requests.end(start, "POST", "/elsewhere/" + i, i % 2 == 0 ? 201 : 404, null);
        }

        assertThat(requests.errorRatio()).isEqualTo(0.04);
        assertThat(AlertRules.errorRateAbove(0.05).condition().isMet(context())).isFalse();
    }

    @Test
    void errorRateDoesNotHoldWithoutTraffic() {
        assertThat(AlertRules.errorRateAbove(0.05).condition().isMet(context())).isFalse();
    }

    @Test
    void p95LatencyHoldsWhenARouteIsSlowerThanTheThreshold() {
        requests(20, 200, Duration.ofSeconds(2));

        assertThat(AlertRules.p95LatencyAbove(Duration.ofSeconds(1)).condition().isMet(context())).isTrue();
        assertThat(AlertRules.p95LatencyAbove(Duration.ofSeconds(5)).condition().isMet(context())).isFalse();
    }

    @Test
    void oneSlowServerErrorAmongAThousandFastRequestsDoesNotFireHighLatencyP95() {
        List<Alert> notified = new ArrayList<>();
        AlertMonitor monitor = monitor(notified);
        requests(1, 500, Duration.ofSeconds(5));

        for (int round = 0; round < 40; round++) {
            requests(50, 200, Duration.ofMillis(10));
            clock.advance(Duration.ofSeconds(15).minusMillis(500));
            monitor.evaluate();
        }

        assertThat(notified).isEmpty();
        assertThat(monitor.alerts()).isEmpty();
    }

    @Test
    void aRouteSlowOverAllItsOutcomesFiresHighLatencyP95AfterFiveMinutes() {
        List<Alert> notified = new ArrayList<>();
        AlertMonitor monitor = monitor(notified);

        for (int round = 0; round <= 20; round++) {
            requests(5, 200, Duration.ofSeconds(2));
            requests(5, 503, Duration.ofMillis(1));
            clock.advance(Duration.ofSeconds(15).minusSeconds(10));
            monitor.evaluate();
        }

        assertThat(notified).extracting(Alert::rule).containsExactly("HighLatencyP95");
    }

    private AlertMonitor monitor(List<Alert> notified) {
        return AlertMonitor.builder(meters).clock(clock).executor(Runnable::run)
                .rule(AlertRules.p95LatencyAbove(Duration.ofSeconds(1))).notifier(notified::add).build();
    }

    @Test
    void serviceDownHoldsWhenTheHealthIsDown() {
        CheckReport down = new CheckReport("db", HealthStatus.DOWN, "gone", Map.of(),
                Duration.ZERO, clock.now(), clock.now(), true, Set.of());
        AlertContext context = new AlertContext(meters, () -> HealthReport.of(List.of(down), clock.now()), clock.now());

        assertThat(AlertRules.serviceDown().condition().isMet(context)).isTrue();
        assertThat(AlertRules.serviceDown().condition().isMet(context())).isFalse();
    }

    @Test
    void diskAndHeapRulesCompareTheirRatios() {
        Path here = Path.of(".");

        assertThat(AlertRules.diskUsageAbove(here, 0.0).condition().isMet(context())).isTrue();
        assertThat(AlertRules.diskUsageAbove(here, 1.0).condition().isMet(context())).isFalse();
        assertThat(AlertRules.heapUsageAbove(0.0).condition().isMet(context())).isTrue();
        assertThat(AlertRules.heapUsageAbove(1.0).condition().isMet(context())).isFalse();
    }

    @Test
    void theDefaultsCoverTheUsualTable() {
        assertThat(AlertRules.defaults("database", Path.of("."))).extracting(AlertRule::name).containsExactly(
                "ServiceDown", "DatabaseDown", "DiskAlmostFull", "HeapUsageHigh", "HighErrorRate", "HighLatencyP95");
    }
}
