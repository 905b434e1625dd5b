package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The queue rules read the meters resilience-queue's QueueMetrics registers (same names and tags, registered here by
 * hand: the health module does not depend on the queue module). Rounds every 15 s, as AlertMonitor runs them.
 */
class QueueAlertRulesTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock();
    private final AtomicReference<Double> dead = new AtomicReference<>(0.0);

    QueueAlertRulesTest() {
        Gauge.builder("resilience.queue.dead", dead, AtomicReference::get).tag("queue", "orders").register(meters);
    }

    private AlertContext context() {
        return new AlertContext(meters, () -> HealthReport.of(List.of(), clock.now()), clock.now());
    }

    private Counter attempts(String type, String outcome) {
        return Counter.builder("resilience.queue.attempts").tag("queue", "orders").tag("type", type).tag("outcome", outcome)
                .register(meters);
    }

    /** Rounds every 15 s for {@code duration}, adding {@code perRound} dead tasks each; whether the last round held. */
    private boolean rounds(AlertRule rule, Duration duration, double perRound) {
        boolean met = false;
        for (long t = 0; t < duration.toSeconds(); t += 15) {
            clock.advance(Duration.ofSeconds(15));
            dead.set(dead.get() + perRound);
            met = rule.condition().isMet(context());
        }
        return met;
    }

    @Test
    void deadLettersGrowingHoldsOnceFiftyMoreTasksAreDeadThanAtTheLowestPointOfTheHour() {
        AlertRule rule = AlertRules.queueDeadLettersGrowing(50, Duration.ofHours(1));
        dead.set(1000.0);   // an old backlog is not growth
        assertThat(rule.condition().isMet(context())).isFalse();

        assertThat(rounds(rule, Duration.ofSeconds(15), 49)).isFalse();   // +49
        assertThat(rounds(rule, Duration.ofMinutes(50), 0)).isFalse();
        assertThat(rounds(rule, Duration.ofSeconds(15), 1)).isTrue();     // the 50th within the hour
        assertThat(rule.severity()).isEqualTo(Severity.WARNING);
        assertThat(rule.forDuration()).isZero();
    }

    @Test
    void deadLettersGrowingForgetsWhatIsOlderThanTheWindow() {
        AlertRule rule = AlertRules.queueDeadLettersGrowing(50, Duration.ofHours(1));
        assertThat(rule.condition().isMet(context())).isFalse();

        // +60 over two hours: never 50 within one hour
        assertThat(rounds(rule, Duration.ofHours(2), 60.0 / 480)).isFalse();
    }

    @Test
    void deadLettersGrowingCountsGrowthAfterADiscardFromTheLowestPoint() {
        AlertRule rule = AlertRules.queueDeadLettersGrowing(50, Duration.ofHours(1));
        dead.set(40.0);
        rule.condition().isMet(context());
        clock.advance(Duration.ofSeconds(15));
        dead.set(0.0);   // an operator discarded them
        assertThat(rule.condition().isMet(context())).isFalse();
        clock.advance(Duration.ofSeconds(15));
        dead.set(Double.NaN);   // database unreachable: skipped
        assertThat(rule.condition().isMet(context())).isFalse();
        clock.advance(Duration.ofSeconds(15));
        dead.set(50.0);
        assertThat(rule.condition().isMet(context())).isTrue();
    }

    @Test
    void failureRateHoldsWhenMoreThanTenPercentOfATypesAttemptsOfTheLastFiveMinutesFailed() {
        AlertRule rule = AlertRules.queueFailureRateAbove(0.10);
        Counter ok = attempts("webhook", "succeeded");
        Counter retried = attempts("webhook", "retried");
        Counter buried = attempts("webhook", "dead_lettered");
        Counter otherOk = attempts("mail", "succeeded");
        ok.increment(10_000);   // a good past does not dilute the last five minutes
        assertThat(rule.condition().isMet(context())).isFalse();

        clock.advance(Duration.ofMinutes(1));
        ok.increment(90);
        retried.increment(9);
        buried.increment(1);   // 10 of 100: not over 10 %
        otherOk.increment(1000);
        assertThat(rule.condition().isMet(context())).isFalse();

        clock.advance(Duration.ofMinutes(1));
        retried.increment(2);   // 12 of 102
        assertThat(rule.condition().isMet(context())).isTrue();

        clock.advance(Duration.ofMinutes(4));   // the burst of failures left the window: 2 of the last 102 failed
        ok.increment(100);
        assertThat(rule.condition().isMet(context())).isFalse();
        assertThat(rule.forDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rule.severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void failureRateWithoutAttemptsInTheWindowDoesNotHold() {
        AlertRule rule = AlertRules.queueFailureRateAbove(0.10);
        Counter failed = attempts("webhook", "lease_lost");
        failed.increment(5);
        assertThat(rule.condition().isMet(context())).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(rule.condition().isMet(context())).isFalse();
        failed.increment();
        clock.advance(Duration.ofSeconds(15));
        assertThat(rule.condition().isMet(context())).isTrue();   // lease lost counts as a failure
    }

    @Test
    void queueDefaultsAreTheTwoRulesAndBadArgumentsAreNamed() {
        assertThat(AlertRules.queueDefaults()).extracting(AlertRule::name)
                .containsExactly("QueueDeadLettersGrowing", "QueueFailureRateHigh");
        assertThatThrownBy(() -> AlertRules.queueDeadLettersGrowing(0, Duration.ofHours(1))).hasMessageContaining("items");
        assertThatThrownBy(() -> AlertRules.queueDeadLettersGrowing(50, Duration.ZERO)).hasMessageContaining("window");
        assertThatThrownBy(() -> AlertRules.queueFailureRateAbove(1.5)).hasMessageContaining("ratio");
    }
}
