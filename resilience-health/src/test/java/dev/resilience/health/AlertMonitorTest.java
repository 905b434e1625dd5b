package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheckResult;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The alert lifecycle, driven by a manual clock: evaluation every 15 s, rule "for" 2 minutes. */
class AlertMonitorTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicBoolean condition = new AtomicBoolean();
    private final List<Alert> notified = new CopyOnWriteArrayList<>();
    private final AlertRule rule = AlertRule.builder("ApiDown").condition(context -> condition.get())
            .forDuration(Duration.ofMinutes(2)).severity(Severity.CRITICAL).summary("API is down").build();
    private final AlertMonitor monitor = monitor(rule);

    private AlertMonitor monitor(AlertRule... rules) {
        AlertMonitor.Builder builder = AlertMonitor.builder(new SimpleMeterRegistry()).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).interval(Duration.ofSeconds(15)).notifier(notified::add);
        for (AlertRule r : rules) {
            builder.rule(r);
        }
        return builder.build();
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void anAlertIsPendingUntilItsConditionHeldForTheForDuration() {
        monitor.start();
        condition.set(true);

        scheduler.advance(Duration.ofSeconds(15));

        assertThat(monitor.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.PENDING);
            assertThat(alert.activeSince()).isEqualTo(clock.now());
        });
        assertThat(notified).isEmpty();
    }

    @Test
    void anAlertFiresOnceAfterTheForDurationAndIsNotRepeated() {
        monitor.start();
        condition.set(true);

        scheduler.advance(Duration.ofSeconds(15 + 120));
        scheduler.advance(Duration.ofMinutes(10));

        assertThat(notified).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.FIRING);
            assertThat(alert.id()).isEqualTo("ApiDown-1");
            assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.firedAt()).isEqualTo(alert.activeSince().plus(Duration.ofMinutes(2)));
        });
    }

    @Test
    void aFiringAlertIsResolvedOnceWhenTheConditionClears() {
        monitor.start();
        condition.set(true);
        scheduler.advance(Duration.ofMinutes(3));

        condition.set(false);
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(notified).extracting(Alert::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(monitor.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.state()).isEqualTo(AlertState.RESOLVED);
            assertThat(alert.acknowledged()).isFalse();
        });
    }

    @Test
    void aConditionThatClearsWhilePendingNeverNotifies() {
        monitor.start();
        condition.set(true);
        scheduler.advance(Duration.ofMinutes(1));

        condition.set(false);
        scheduler.advance(Duration.ofMinutes(5));

        assertThat(notified).isEmpty();
        assertThat(monitor.alerts()).isEmpty();
    }

    @Test
    void theNextOccurrenceAfterResolutionIsANewAlert() {
        monitor.start();
        condition.set(true);
        scheduler.advance(Duration.ofMinutes(3));
        condition.set(false);
        scheduler.advance(Duration.ofMinutes(1));

        condition.set(true);
        scheduler.advance(Duration.ofMinutes(3));

        assertThat(notified).extracting(Alert::id).containsExactly("ApiDown-1", "ApiDown-1", "ApiDown-2");
    }

    @Test
    void anAcknowledgedAlertStaysQuietUntilItsConditionClears() {
        monitor.start();
        condition.set(true);
        scheduler.advance(Duration.ofMinutes(3));

        Alert acknowledged = monitor.resolve("ApiDown-1").orElseThrow();
        scheduler.advance(Duration.ofMinutes(10));

        assertThat(acknowledged.state()).isEqualTo(AlertState.RESOLVED);
        assertThat(acknowledged.acknowledged()).isTrue();
        assertThat(notified).extracting(Alert::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
        assertThat(monitor.alerts()).extracting(Alert::state).containsExactly(AlertState.RESOLVED);
    }

    @Test
    void resolvingAnUnknownIdFindsNothing() {
        assertThat(monitor.resolve("ApiDown-9")).isEmpty();
    }

    @Test
    void resolvedAlertsAreForgottenAfterTheRetention() {
        monitor.start();
        condition.set(true);
        scheduler.advance(Duration.ofMinutes(3));
        condition.set(false);
        scheduler.advance(Duration.ofMinutes(1));

        scheduler.advance(Duration.ofHours(1));

        assertThat(monitor.alerts()).isEmpty();
    }

    @Test
    void aFailingNotifierDoesNotStopTheOthers() {
        AlertMonitor withFailing = AlertMonitor.builder(new SimpleMeterRegistry()).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).notifier(alert -> {
                    throw new IllegalStateException("webhook down");
                }).notifier(notified::add)
                .rule(AlertRule.builder("Now").condition(context -> true).build()).build();

        withFailing.evaluate();

        assertThat(notified).extracting(Alert::rule).containsExactly("Now");
    }

    @Test
    void aConditionThatThrowsIsTreatedAsNotMet() {
        AlertMonitor throwing = monitor(AlertRule.builder("Broken").condition(context -> {
            throw new IllegalStateException("meter missing");
        }).build());

        throwing.evaluate();

        assertThat(throwing.alerts()).isEmpty();
    }

    @Test
    void conditionsCanReadTheHealthReport() {
        HealthRegistry health = HealthRegistry.builder().check("db",
                () -> HealthCheckResult.down("gone")).build();
        AlertMonitor withHealth = AlertMonitor.builder(new SimpleMeterRegistry()).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).health(health).notifier(notified::add)
                .rule(AlertRules.checkDown("DatabaseDown", "db", Duration.ZERO)).build();

        withHealth.evaluate();
        health.close();

        assertThat(notified).extracting(Alert::rule).containsExactly("DatabaseDown");
    }
}
