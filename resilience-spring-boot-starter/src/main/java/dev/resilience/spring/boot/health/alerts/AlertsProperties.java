package dev.resilience.spring.boot.health.alerts;

import dev.resilience.health.Severity;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code resilience.alerts.*}: resilience-health's ready-made rules (each on by default, with the module's
 * thresholds, {@code for} durations and severities unless set here), check-down rules by name, and the
 * notifiers. An unknown key fails start-up. Webhook URLs and header values are secrets: they are never logged
 * nor put into a message. Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "resilience.alerts", ignoreUnknownFields = false)
public class AlertsProperties {

    /** Whether the starter builds an AlertMonitor (needs resilience-health and a MeterRegistry bean). */
    private boolean enabled = true;

    /** How often the rules are evaluated. */
    private Duration interval = Duration.ofSeconds(15);

    /** How long resolved alerts stay listed. */
    private Duration resolvedRetention = Duration.ofHours(1);

    /** The ready-made rules of resilience-health's AlertRules. */
    private final Rules rules = new Rules();

    /** Rules by name (letters, digits, '_') that fire while a health check (a HealthCheck bean name) is DOWN. */
    private final Map<String, CheckDown> checkDown = new LinkedHashMap<>();

    /** Where alerts are sent. */
    private final Notifiers notifiers = new Notifiers();

    /** @return whether the starter builds an AlertMonitor (needs resilience-health and a MeterRegistry bean) */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the starter builds an AlertMonitor (needs resilience-health and a MeterRegistry bean) */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return how often the rules are evaluated */
    public Duration getInterval() {
        return interval;
    }

    /** @param interval how often the rules are evaluated */
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    /** @return how long resolved alerts stay listed */
    public Duration getResolvedRetention() {
        return resolvedRetention;
    }

    /** @param resolvedRetention how long resolved alerts stay listed */
    public void setResolvedRetention(Duration resolvedRetention) {
        this.resolvedRetention = resolvedRetention;
    }

    /** @return the ready-made rules of resilience-health's AlertRules */
    public Rules getRules() {
        return rules;
    }

    /** @return rules by name (letters, digits, '_') that fire while a health check (a HealthCheck bean name) is DOWN */
    public Map<String, CheckDown> getCheckDown() {
        return checkDown;
    }

    /** @return where alerts are sent */
    public Notifiers getNotifiers() {
        return notifiers;
    }

    /** What every ready-made rule can change. */
    public abstract static class Rule {
        /** Whether the rule is evaluated. */
        private boolean enabled = true;

        /** How long the condition must hold before the alert fires (default: the rule's own, see the README). */
        private @Nullable Duration forDuration;

        /** warning, error or critical (default: the rule's own). */
        private @Nullable Severity severity;

        /** @return whether the rule is evaluated */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the rule is evaluated */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return how long the condition must hold before the alert fires (default: the rule's own, see the README);
         * null when not set
         */
        public @Nullable Duration getForDuration() {
            return forDuration;
        }

        /**
         * @param forDuration how long the condition must hold before the alert fires (default: the rule's own, see the
         * README)
         */
        public void setForDuration(@Nullable Duration forDuration) {
            this.forDuration = forDuration;
        }

        /** @return warning, error or critical (default: the rule's own); null when not set */
        public @Nullable Severity getSeverity() {
            return severity;
        }

        /** @param severity warning, error or critical (default: the rule's own) */
        public void setSeverity(@Nullable Severity severity) {
            this.severity = severity;
        }
    }

    /** The ready-made rules. */
    public static class Rules {
        /** ServiceDown: overall health DOWN (2 min, critical). */
        private final ServiceDown serviceDown = new ServiceDown();

        /** DatabaseDown: the named check DOWN (1 min, critical); only with a check name. */
        private final DatabaseDown databaseDown = new DatabaseDown();

        /** DiskAlmostFull: the disk of a path over a used ratio (0, error). */
        private final DiskAlmostFull diskAlmostFull = new DiskAlmostFull();

        /** HeapUsageHigh: heap over a ratio of its maximum (5 min, warning). */
        private final HeapUsageHigh heapUsageHigh = new HeapUsageHigh();

        /** HighErrorRate: share of 5xx answers over the last 5 minutes above a ratio (5 min, error). */
        private final HighErrorRate highErrorRate = new HighErrorRate();

        /** HighLatencyP95: P95 of a route over the last 5 minutes above a threshold (5 min, warning). */
        private final HighLatencyP95 highLatencyP95 = new HighLatencyP95();

        /** @return serviceDown: overall health DOWN (2 min, critical) */
        public ServiceDown getServiceDown() {
            return serviceDown;
        }

        /** @return databaseDown: the named check DOWN (1 min, critical); only with a check name */
        public DatabaseDown getDatabaseDown() {
            return databaseDown;
        }

        /** @return diskAlmostFull: the disk of a path over a used ratio (0, error) */
        public DiskAlmostFull getDiskAlmostFull() {
            return diskAlmostFull;
        }

        /** @return heapUsageHigh: heap over a ratio of its maximum (5 min, warning) */
        public HeapUsageHigh getHeapUsageHigh() {
            return heapUsageHigh;
        }

        /** @return highErrorRate: share of 5xx answers over the last 5 minutes above a ratio (5 min, error) */
        public HighErrorRate getHighErrorRate() {
            return highErrorRate;
        }

        /** @return highLatencyP95: P95 of a route over the last 5 minutes above a threshold (5 min, warning) */
        public HighLatencyP95 getHighLatencyP95() {
            return highLatencyP95;
        }
    }

    /** ServiceDown: overall health DOWN. */
    public static class ServiceDown extends Rule {
    }

    /** DatabaseDown: the database check DOWN. */
    public static class DatabaseDown extends Rule {
        /** The name of the database's HealthCheck bean; without it the rule is not added. */
        private @Nullable String check;

        /** @return the name of the database's HealthCheck bean; without it the rule is not added; null when not set */
        public @Nullable String getCheck() {
            return check;
        }

        /** @param check the name of the database's HealthCheck bean; without it the rule is not added */
        public void setCheck(@Nullable String check) {
            this.check = check;
        }
    }

    /** DiskAlmostFull: the disk of a path almost full. */
    public static class DiskAlmostFull extends Rule {
        /** A path on the disk to watch (the data or backup directory). */
        private String path = ".";

        /** The used share of the disk above which the rule holds, 0 to 1. */
        private double usedRatio = 0.95;

        /** @return A path on the disk to watch (the data or backup directory) */
        public String getPath() {
            return path;
        }

        /** @param path A path on the disk to watch (the data or backup directory) */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the used share of the disk above which the rule holds, 0 to 1 */
        public double getUsedRatio() {
            return usedRatio;
        }

        /** @param usedRatio the used share of the disk above which the rule holds, 0 to 1 */
        public void setUsedRatio(double usedRatio) {
            this.usedRatio = usedRatio;
        }
    }

    /** HeapUsageHigh: heap use high. */
    public static class HeapUsageHigh extends Rule {
        /** The used share of the maximum heap above which the rule holds, 0 to 1. */
        private double usedRatio = 0.90;

        /** @return the used share of the maximum heap above which the rule holds, 0 to 1 */
        public double getUsedRatio() {
            return usedRatio;
        }

        /** @param usedRatio the used share of the maximum heap above which the rule holds, 0 to 1 */
        public void setUsedRatio(double usedRatio) {
            this.usedRatio = usedRatio;
        }
    }

    /** HighErrorRate: many 5xx answers (needs resilience-health's RequestMetrics in the registry). */
    public static class HighErrorRate extends Rule {
        /** The share of 5xx answers above which the rule holds, 0 to 1. */
        private double ratio = 0.05;

        /** @return the share of 5xx answers above which the rule holds, 0 to 1 */
        public double getRatio() {
            return ratio;
        }

        /** @param ratio the share of 5xx answers above which the rule holds, 0 to 1 */
        public void setRatio(double ratio) {
            this.ratio = ratio;
        }
    }

    /** HighLatencyP95: slow routes (needs resilience-health's RequestMetrics in the registry). */
    public static class HighLatencyP95 extends Rule {
        /** The P95 latency above which the rule holds. */
        private Duration threshold = Duration.ofSeconds(1);

        /** @return the P95 latency above which the rule holds */
        public Duration getThreshold() {
            return threshold;
        }

        /** @param threshold the P95 latency above which the rule holds */
        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }
    }

    /** A rule that holds while a health check is DOWN. */
    public static class CheckDown {
        /** The HealthCheck bean name whose DOWN status the rule watches; required. */
        private @Nullable String check;

        /** How long the check must be DOWN before the alert fires. */
        private Duration forDuration = Duration.ofMinutes(1);

        /** warning, error or critical. */
        private Severity severity = Severity.CRITICAL;

        /** @return the HealthCheck bean name whose DOWN status the rule watches; required; null when not set */
        public @Nullable String getCheck() {
            return check;
        }

        /** @param check the HealthCheck bean name whose DOWN status the rule watches; required */
        public void setCheck(@Nullable String check) {
            this.check = check;
        }

        /** @return how long the check must be DOWN before the alert fires */
        public Duration getForDuration() {
            return forDuration;
        }

        /** @param forDuration how long the check must be DOWN before the alert fires */
        public void setForDuration(Duration forDuration) {
            this.forDuration = forDuration;
        }

        /** @return warning, error or critical */
        public Severity getSeverity() {
            return severity;
        }

        /** @param severity warning, error or critical */
        public void setSeverity(Severity severity) {
            this.severity = severity;
        }
    }

    /** The notifiers. */
    public static class Notifiers {
        /** SLF4J logger dev.resilience.health.alerts: WARN, ERROR, INFO on resolution. */
        private final Log log = new Log();

        /** Webhooks by a name of your choosing: each alert transition is POSTed as JSON. */
        private final Map<String, Webhook> webhooks = new LinkedHashMap<>();

        /** @return SLF4J logger dev.resilience.health.alerts: WARN, ERROR, INFO on resolution */
        public Log getLog() {
            return log;
        }

        /** @return webhooks by a name of your choosing: each alert transition is POSTed as JSON */
        public Map<String, Webhook> getWebhooks() {
            return webhooks;
        }
    }

    /** The log notifier. */
    public static class Log {
        /** Whether alerts are logged. */
        private boolean enabled = true;

        /** @return whether alerts are logged */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether alerts are logged */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** A webhook notifier. */
    public static class Webhook {
        /** The http or https URL; a secret (it often embeds a token): never logged. */
        private @Nullable String url;

        /** Headers sent with every request (Authorization...); their values are never logged. */
        private final Map<String, String> headers = new LinkedHashMap<>();

        /** The timeout of each attempt. */
        private Duration requestTimeout = Duration.ofSeconds(5);

        /** @return the http or https URL; a secret (it often embeds a token): never logged; null when not set */
        public @Nullable String getUrl() {
            return url;
        }

        /** @param url the http or https URL; a secret (it often embeds a token): never logged */
        public void setUrl(@Nullable String url) {
            this.url = url;
        }

        /** @return headers sent with every request (Authorization...); their values are never logged */
        public Map<String, String> getHeaders() {
            return headers;
        }

        /** @return the timeout of each attempt */
        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        /** @param requestTimeout the timeout of each attempt */
        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        @Override
        public String toString() {
            return "Webhook{url=******, headers=" + headers.keySet() + ", requestTimeout=" + requestTimeout + "}";
        }
    }
}
