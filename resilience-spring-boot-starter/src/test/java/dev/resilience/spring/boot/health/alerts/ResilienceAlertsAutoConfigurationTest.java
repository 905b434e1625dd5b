package dev.resilience.spring.boot.health.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.health.Alert;
import dev.resilience.health.AlertMonitor;
import dev.resilience.health.AlertNotifier;
import dev.resilience.health.AlertRule;
import dev.resilience.health.AlertState;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.Severity;
import dev.resilience.health.WebhookNotifier;
import dev.resilience.spring.boot.health.ReadinessShutdownLifecycle;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;

class ResilienceAlertsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAlertsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean("database", HealthCheck.class, () -> () -> HealthCheckResult.up())
            .withBean("payments", HealthCheck.class, () -> () -> HealthCheckResult.up());

    private static Map<String, AlertRule> rulesByName(AlertMonitor monitor) {
        return monitor.rules().stream().collect(Collectors.toMap(AlertRule::name, Function.identity()));
    }

    @Test
    void theModulesRulesAreOnWithTheirOwnSettingsByDefault() {
        runner.run(context -> {
            Map<String, AlertRule> rules = rulesByName(context.getBean(AlertMonitor.class));
            // DatabaseDown needs a check name, so it is not there
            assertThat(rules).containsOnlyKeys("ServiceDown", "DiskAlmostFull", "HeapUsageHigh", "HighErrorRate",
                    "HighLatencyP95");
            assertThat(rules.get("ServiceDown").forDuration()).isEqualTo(Duration.ofMinutes(2));
            assertThat(rules.get("ServiceDown").severity()).isEqualTo(Severity.CRITICAL);
            assertThat(rules.get("DiskAlmostFull").threshold()).isEqualTo(0.95);
            assertThat(rules.get("HeapUsageHigh").threshold()).isEqualTo(0.90);
            assertThat(rules.get("HighErrorRate").threshold()).isEqualTo(0.05);
            assertThat(rules.get("HighLatencyP95").threshold()).isEqualTo(1.0);
            assertThat(rules.get("HighLatencyP95").forDuration()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void rulesAreBoundFromProperties() {
        runner.withPropertyValues(
                "resilience.alerts.rules.service-down.for-duration=30s",
                "resilience.alerts.rules.service-down.severity=error",
                "resilience.alerts.rules.database-down.check=database",
                "resilience.alerts.rules.database-down.for-duration=20s",
                "resilience.alerts.rules.disk-almost-full.used-ratio=0.8",
                "resilience.alerts.rules.heap-usage-high.enabled=false",
                "resilience.alerts.rules.high-error-rate.ratio=0.1",
                "resilience.alerts.rules.high-latency-p95.threshold=250ms",
                "resilience.alerts.rules.high-latency-p95.for-duration=1m",
                "resilience.alerts.check-down.PaymentsDown.check=payments",
                "resilience.alerts.check-down.PaymentsDown.for-duration=10s",
                "resilience.alerts.check-down.PaymentsDown.severity=warning",
                "resilience.alerts.check-down.OrdersDown.check=database").run(context -> {
                    Map<String, AlertRule> rules = rulesByName(context.getBean(AlertMonitor.class));
                    assertThat(rules).containsOnlyKeys("ServiceDown", "DatabaseDown", "DiskAlmostFull",
                            "HighErrorRate", "HighLatencyP95", "PaymentsDown", "OrdersDown");
                    assertThat(rules.get("OrdersDown").forDuration()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(rules.get("OrdersDown").severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(rules.get("ServiceDown").forDuration()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(rules.get("ServiceDown").severity()).isEqualTo(Severity.ERROR);
                    assertThat(rules.get("DatabaseDown").forDuration()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(rules.get("DatabaseDown").summary()).isEqualTo("health check database is DOWN");
                    assertThat(rules.get("DiskAlmostFull").threshold()).isEqualTo(0.8);
                    assertThat(rules.get("HighErrorRate").threshold()).isEqualTo(0.1);
                    assertThat(rules.get("HighLatencyP95").threshold()).isEqualTo(0.25);
                    assertThat(rules.get("HighLatencyP95").forDuration()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(rules.get("PaymentsDown").forDuration()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(rules.get("PaymentsDown").severity()).isEqualTo(Severity.WARNING);
                    assertThat(rules.get("PaymentsDown").summary()).isEqualTo("health check payments is DOWN");
                });
    }

    @Test
    void aWebhookIsBoundFromPropertiesWithoutShowingItsSecrets() {
        runner.withPropertyValues("resilience.alerts.notifiers.log.enabled=false",
                "resilience.alerts.notifiers.webhooks.chat.url=https://hooks.example.com/T000/SECRET-TOKEN",
                "resilience.alerts.notifiers.webhooks.chat.headers.Authorization=Bearer SECRET-HEADER",
                "resilience.alerts.notifiers.webhooks.chat.request-timeout=2s")
                .run(context -> {
                    assertThat(context).hasSingleBean(AlertMonitor.class);
                    AlertsProperties.Webhook chat = context.getBean(AlertsProperties.class).getNotifiers()
                            .getWebhooks().get("chat");
                    assertThat(chat.getRequestTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(chat.getHeaders()).containsEntry("Authorization", "Bearer SECRET-HEADER");
                    assertThat(chat).hasToString("Webhook{url=******, headers=[Authorization], requestTimeout=PT2S}");
                });
    }

    @Test
    void aBadValueFailsStartUpNamingTheProperty() {
        assertStartUpFails("resilience.alerts.rules.disk-almost-full.used-ratio=1.5",
                "resilience.alerts.rules.disk-almost-full.used-ratio=1.5: must be a ratio from 0 to 1");
        assertStartUpFails("resilience.alerts.rules.high-latency-p95.threshold=0s",
                "resilience.alerts.rules.high-latency-p95.threshold=PT0S: must be positive");
        assertStartUpFails("resilience.alerts.rules.service-down.for-duration=-1s",
                "resilience.alerts.rules.service-down.for-duration=PT-1S");
        assertStartUpFails("resilience.alerts.interval=0s", "resilience.alerts.interval=PT0S");
        assertStartUpFails("resilience.alerts.interval=soon", "resilience.alerts.interval");
        assertStartUpFails("resilience.alerts.rules.database-down.check=databse",
                "resilience.alerts.rules.database-down.check=databse: no health check of that name "
                        + "(checks: database, payments)");
        assertStartUpFails("resilience.alerts.check-down.payments-down.check=payments",
                "resilience.alerts.check-down.payments-down=payments-down: name must match");
        assertStartUpFails("resilience.alerts.check-down.PaymentsDown.for-duration=1m",
                "resilience.alerts.check-down.PaymentsDown.check must name a HealthCheck bean");
        assertStartUpFails("resilience.alerts.rules.heap-usage-high.threshold=0.5",
                "resilience.alerts.rules.heap-usage-high.threshold");
    }

    @Test
    void aBadWebhookFailsStartUpWithoutShowingItsUrlOrHeaders() {
        String secret = "T000SECRETTOKEN";
        assertStartUpFails("resilience.alerts.notifiers.webhooks.chat.url=ftp://hooks.example.com/" + secret,
                "resilience.alerts.notifiers.webhooks.chat.url: uri must be an http or https URL, scheme was ftp",
                secret);
        assertStartUpFails("resilience.alerts.notifiers.webhooks.chat.url=https://hooks.example.com/a b/" + secret,
                "resilience.alerts.notifiers.webhooks.chat.url is not a valid URL (at index 27)", secret);
        runner.withPropertyValues("resilience.alerts.notifiers.webhooks.chat.url=https://hooks.example.com/x",
                "resilience.alerts.notifiers.webhooks.chat.headers.Authorization=Bearer " + secret + "\nX: y")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("resilience.alerts.notifiers.webhooks.chat.headers.Authorization must be a single line")
                        .doesNotContain(secret));
    }

    private void assertStartUpFails(String property, String expected) {
        assertStartUpFails(property, expected, null);
    }

    private void assertStartUpFails(String property, String expected, String secret) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            String messages = messages(context.getStartupFailure());
            assertThat(messages).contains(expected);
            if (secret != null) {
                assertThat(messages).doesNotContain(secret);
            }
        });
    }

    /** Every message of the cause chain, as a log line of the failure would show them. */
    private static String messages(Throwable failure) {
        return Stream.iterate(failure, t -> t != null, Throwable::getCause).map(String::valueOf)
                .collect(Collectors.joining("\n"));
    }

    @Test
    void anApplicationWithoutHealthChecksGetsAMonitorWhoseServiceDownReadsAnEmptyRegistry() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAlertsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    assertThat(context).hasSingleBean(AlertMonitor.class);
                    assertThat(context.getBean(HealthRegistry.class).names()).isEmpty();
                });
    }

    @Test
    void theApplicationsOwnAlertMonitorWins() {
        AlertMonitor own = AlertMonitor.builder(new SimpleMeterRegistry()).build();
        runner.withBean("myMonitor", AlertMonitor.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(AlertMonitor.class);
            assertThat(context.getBean(AlertMonitor.class)).isSameAs(own);
            assertThat(context).hasSingleBean(AlertMonitorLifecycle.class);
        });
    }

    @Test
    void theApplicationsOwnHealthRegistryIsWhatTheRulesRead() {
        HealthRegistry own = HealthRegistry.builder().check("orders-db", () -> HealthCheckResult.up()).build();
        runner.withBean(HealthRegistry.class, () -> own)
                .withPropertyValues("resilience.alerts.rules.database-down.check=orders-db")
                .run(context -> {
                    assertThat(context).hasSingleBean(HealthRegistry.class);
                    assertThat(rulesByName(context.getBean(AlertMonitor.class))).containsKey("DatabaseDown");
                });
    }

    @Test
    void offWhenDisabledWithoutAMeterRegistryOrWithoutResilienceHealth() {
        runner.withPropertyValues("resilience.alerts.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AlertMonitor.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAlertsAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(AlertMonitor.class));
        runner.withClassLoader(new FilteredClassLoader(AlertMonitor.class))
                .run(context -> assertThat(context).doesNotHaveBean(AlertMonitor.class)
                        .doesNotHaveBean(HealthRegistry.class));
    }

    @Test
    void aDatabaseCheckForcedDownFiresDatabaseDownOnceItsForDurationHasPassedOnTheManualClock() {
        ManualScheduler scheduler = new ManualScheduler(new ManualClock());
        List<Alert> told = new CopyOnWriteArrayList<>();
        runner.withBean("orders", HealthCheck.class, () -> () -> HealthCheckResult.down("connection refused"))
                .withBean("manualTime", AlertMonitorCustomizer.class, () -> builder -> builder
                        .clock(scheduler.clock()).scheduler(scheduler).executor(Runnable::run))
                .withBean("recorder", AlertNotifier.class, () -> told::add)
                .withPropertyValues("resilience.alerts.rules.database-down.check=orders",
                        "resilience.alerts.rules.database-down.for-duration=1m",
                        "resilience.alerts.rules.service-down.enabled=false",
                        "resilience.alerts.interval=15s")
                .run(context -> {
                    AlertMonitor monitor = context.getBean(AlertMonitor.class);
                    scheduler.advance(Duration.ofSeconds(15));   // started by the context: first round
                    assertThat(monitor.alerts()).extracting(Alert::rule, Alert::state)
                            .contains(org.assertj.core.groups.Tuple.tuple("DatabaseDown", AlertState.PENDING));
                    scheduler.advance(Duration.ofSeconds(45));   // 45 s of the 60 s
                    assertThat(told).isEmpty();
                    scheduler.advance(Duration.ofSeconds(15));   // 60 s pending
                    assertThat(told).extracting(Alert::rule, Alert::state)
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("DatabaseDown", AlertState.FIRING));
                    scheduler.advance(Duration.ofMinutes(5));    // still down: told once
                    assertThat(told).hasSize(1);
                });
    }

    @Test
    void anApplicationRuleFiresAndResolvesThroughAForcedConditionAndTheMonitorStopsWithTheContext() {
        ManualScheduler scheduler = new ManualScheduler(new ManualClock());
        List<Alert> told = new CopyOnWriteArrayList<>();
        AtomicBoolean forced = new AtomicBoolean();
        runner.withBean("manualTime", AlertMonitorCustomizer.class, () -> builder -> builder
                        .clock(scheduler.clock()).scheduler(scheduler).executor(Runnable::run))
                .withBean("recorder", AlertNotifier.class, () -> told::add)
                .withBean("forced", AlertRule.class, () -> AlertRule.builder("Forced").condition(c -> forced.get())
                        .forDuration(Duration.ofSeconds(30)).build())
                .run(context -> {
                    scheduler.advance(Duration.ofSeconds(15));
                    assertThat(told).isEmpty();
                    forced.set(true);
                    scheduler.advance(Duration.ofSeconds(15));   // pending
                    scheduler.advance(Duration.ofSeconds(15));   // 15 s of 30
                    assertThat(told).isEmpty();
                    scheduler.advance(Duration.ofSeconds(15));   // 30 s
                    assertThat(told).extracting(Alert::state).containsExactly(AlertState.FIRING);
                    forced.set(false);
                    scheduler.advance(Duration.ofSeconds(15));
                    assertThat(told).extracting(Alert::state).containsExactly(AlertState.FIRING, AlertState.RESOLVED);
                    assertThat(scheduler.pendingTasks()).isEqualTo(1);
                    context.close();
                    assertThat(scheduler.pendingTasks()).isZero();
                });
    }

    @Test
    void theMonitorStopsAfterTheWebServerHasStopped() {
        int webServerStartStop = WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 1024;
        assertThat(AlertMonitorLifecycle.PHASE).isLessThan(webServerStartStop);
        assertThat(ReadinessShutdownLifecycle.PHASE).isGreaterThan(AlertMonitorLifecycle.PHASE);
    }
}
