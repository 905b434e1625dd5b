package dev.resilience.spring.boot.health.alerts;

import dev.resilience.core.HealthCheck;
import dev.resilience.health.AlertMonitor;
import dev.resilience.health.AlertNotifier;
import dev.resilience.health.AlertRule;
import dev.resilience.health.AlertRules;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.WebhookNotifier;
import dev.resilience.spring.boot.ResilienceCoreAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * resilience-health's {@link AlertMonitor} from {@code resilience.alerts.*} when resilience-health is on the
 * classpath and the application has a {@link MeterRegistry}: the ready-made rules of {@link AlertRules} with
 * the thresholds, {@code for} durations and severities of the properties, check-down rules, the application's
 * own {@link AlertRule} beans; the log notifier, webhooks, the application's own {@link AlertNotifier} beans.
 * Conditions read a {@link HealthRegistry} of the application's core {@link HealthCheck} beans (or the
 * application's own registry). Started with the context, closed after the web server has stopped
 * ({@link AlertMonitorLifecycle}). Off with {@code resilience.alerts.enabled=false}; every bean yields to the
 * application's own. A bad value fails start-up naming the property, never echoing a webhook's URL or headers.
 */
@AutoConfiguration(after = ResilienceCoreAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({AlertMonitor.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "resilience.alerts", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AlertsProperties.class)
public class ResilienceAlertsAutoConfiguration {
    private static final String PREFIX = "resilience.alerts.";

    /**
     * The health the rules read: the application's core {@code HealthCheck} beans, by bean name, with
     * resilience-health's defaults (critical, readiness group, 5 s timeout and cache).
     *
     * @param beans where the application's checks are found (none is fine)
     * @return the registry, closed by Spring after the web server has stopped
     */
    @Bean
    @ConditionalOnMissingBean
    public HealthRegistry resilienceAlertsHealthRegistry(ListableBeanFactory beans) {
        HealthRegistry.Builder builder = HealthRegistry.builder();
        new TreeMap<>(beans.getBeansOfType(HealthCheck.class)).forEach(builder::check);
        return builder.build();
    }

    /**
     * The monitor, not started (its lifecycle starts it).
     *
     * @param properties  {@code resilience.alerts.*}
     * @param meters      the registry the request rules read
     * @param health      the health the health rules read
     * @param rules       the application's own rules
     * @param notifiers   the application's own notifiers
     * @param customizers code-only settings
     * @return the monitor
     * @throws IllegalArgumentException naming the property, for a value out of range or a malformed one
     */
    @Bean
    @ConditionalOnMissingBean
    public AlertMonitor alertMonitor(AlertsProperties properties, MeterRegistry meters, HealthRegistry health,
            ObjectProvider<AlertRule> rules, ObjectProvider<AlertNotifier> notifiers,
            ObjectProvider<AlertMonitorCustomizer> customizers) {
        AlertMonitor.Builder builder = AlertMonitor.builder(meters).health(health);
        set(PREFIX + "interval", properties.getInterval(), builder::interval);
        set(PREFIX + "resolved-retention", properties.getResolvedRetention(), builder::resolvedRetention);
        readyMadeRules(properties.getRules(), health).forEach(builder::rule);
        properties.getCheckDown().forEach((name, rule) -> builder.rule(checkDown(name, rule, health)));
        rules.orderedStream().forEach(builder::rule);
        if (properties.getNotifiers().getLog().isEnabled()) {
            builder.notifier(AlertNotifier.log());
        }
        properties.getNotifiers().getWebhooks().forEach((name, webhook) -> builder.notifier(webhook(name, webhook)));
        notifiers.orderedStream().forEach(builder::notifier);
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Starts the monitor with the context and closes it after the web server has stopped.
     *
     * @param monitor the starter's or the application's monitor
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(AlertMonitor.class)
    public AlertMonitorLifecycle alertMonitorLifecycle(AlertMonitor monitor) {
        return new AlertMonitorLifecycle(monitor);
    }

    private static List<AlertRule> readyMadeRules(AlertsProperties.Rules rules, HealthRegistry health) {
        String p = PREFIX + "rules.";
        List<AlertRule> all = new ArrayList<>();
        add(all, p + "service-down", rules.getServiceDown(), AlertRules::serviceDown);
        AlertsProperties.DatabaseDown database = rules.getDatabaseDown();
        if (database.getCheck() != null) {
            String check = knownCheck(p + "database-down.check", database.getCheck(), health);
            add(all, p + "database-down", database,
                    () -> AlertRules.checkDown("DatabaseDown", check, Duration.ofMinutes(1)));
        }
        AlertsProperties.DiskAlmostFull disk = rules.getDiskAlmostFull();
        add(all, p + "disk-almost-full", disk, () -> AlertRules.diskUsageAbove(path(p + "disk-almost-full.path",
                disk.getPath()), ratio(p + "disk-almost-full.used-ratio", disk.getUsedRatio())));
        AlertsProperties.HeapUsageHigh heap = rules.getHeapUsageHigh();
        add(all, p + "heap-usage-high", heap,
                () -> AlertRules.heapUsageAbove(ratio(p + "heap-usage-high.used-ratio", heap.getUsedRatio())));
        AlertsProperties.HighErrorRate errors = rules.getHighErrorRate();
        add(all, p + "high-error-rate", errors,
                () -> AlertRules.errorRateAbove(ratio(p + "high-error-rate.ratio", errors.getRatio())));
        AlertsProperties.HighLatencyP95 latency = rules.getHighLatencyP95();
        add(all, p + "high-latency-p95", latency, () -> AlertRules.p95LatencyAbove(
                named(p + "high-latency-p95.threshold", latency.getThreshold(), () -> {
                    if (latency.getThreshold() == null || latency.getThreshold().isNegative()
                            || latency.getThreshold().isZero()) {
                        throw new IllegalArgumentException("must be positive");
                    }
                    return latency.getThreshold();
                })));
        return all;
    }

    /** The module's rule with the properties' for duration and severity, when they are set. */
    private static void add(List<AlertRule> into, String property, AlertsProperties.Rule settings,
            Supplier<AlertRule> readyMade) {
        if (!settings.isEnabled()) {
            return;
        }
        AlertRule rule = readyMade.get();
        if (settings.getForDuration() == null && settings.getSeverity() == null) {
            into.add(rule);
            return;
        }
        AlertRule.Builder changed = AlertRule.builder(rule.name()).condition(rule.condition())
                .severity(settings.getSeverity() != null ? settings.getSeverity() : rule.severity())
                .summary(rule.summary());
        if (!Double.isNaN(rule.threshold())) { // NaN: the rule has no threshold
            changed.threshold(rule.threshold());
        }
        Duration forDuration = settings.getForDuration() != null ? settings.getForDuration() : rule.forDuration();
        set(property + ".for-duration", forDuration, changed::forDuration);
        into.add(changed.build());
    }

    private static AlertRule checkDown(String name, AlertsProperties.CheckDown settings, HealthRegistry health) {
        String property = PREFIX + "check-down." + name;
        if (settings.getCheck() == null || settings.getCheck().isBlank()) {
            throw new IllegalArgumentException(property + ".check must name a HealthCheck bean");
        }
        String check = knownCheck(property + ".check", settings.getCheck(), health);
        AlertRule rule = named(property, name, () -> AlertRules.checkDown(name, check, Duration.ZERO));
        AlertRule.Builder changed = AlertRule.builder(rule.name()).condition(rule.condition())
                .severity(settings.getSeverity()).summary(rule.summary());
        set(property + ".for-duration", settings.getForDuration(), changed::forDuration);
        return changed.build();
    }

    private static String knownCheck(String property, String check, HealthRegistry health) {
        if (!health.names().contains(check)) {
            throw new IllegalArgumentException(property + "=" + check + ": no health check of that name (checks: "
                    + String.join(", ", health.names()) + ")");
        }
        return check;
    }

    private static AlertNotifier webhook(String name, AlertsProperties.Webhook settings) {
        String property = PREFIX + "notifiers.webhooks." + name;
        if (settings.getUrl() == null || settings.getUrl().isBlank()) {
            throw new IllegalArgumentException(property + ".url must be set");
        }
        URI uri;
        try {
            uri = new URI(settings.getUrl());
        } catch (URISyntaxException e) {
            // the URL is a secret: say where it is malformed, never what it is
            throw new IllegalArgumentException(property + ".url is not a valid URL (at index " + e.getIndex()
                    + "); the value is not shown because it may hold a token", null);
        }
        WebhookNotifier.Builder builder;
        try {
            builder = WebhookNotifier.builder(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ".url: " + e.getMessage(), null);   // names the scheme only
        }
        set(property + ".request-timeout", settings.getRequestTimeout(), builder::requestTimeout);
        settings.getHeaders().forEach((header, value) -> {
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(property + ".headers." + header
                        + " must be a single line; the value is not shown because it may hold a secret");
            }
            builder.header(header, value);
        });
        return builder.build();
    }

    private static Path path(String property, String path) {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(property + "=" + path + ": " + e.getMessage(), e);
        }
    }

    private static double ratio(String property, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(property + "=" + value + ": must be a ratio from 0 to 1");
        }
        return value;
    }

    /** Runs a builder step, prefixing its argument error with the property it came from. */
    private static <T> void set(String property, T value, java.util.function.Consumer<T> setter) {
        named(property, value, () -> {
            setter.accept(value);
            return value;
        });
    }

    private static <T> T named(String property, Object value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(property + "=" + value + ": " + e.getMessage(), e);
        }
    }
}
