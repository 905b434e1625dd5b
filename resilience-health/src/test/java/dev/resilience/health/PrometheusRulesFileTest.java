package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.core.HealthCheckResult;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped Prometheus rules file must say the same as {@link AlertRules#defaults}. */
class PrometheusRulesFileTest {

    private static final Pattern METRIC = Pattern.compile("\\b(?:health|http|jvm|disk)_[a-z0-9_]+");
    private static final Pattern RULE = Pattern.compile(
            "- alert: (\\w+)\\s+expr: (.+?)\\s+for: (\\d+)([smh])\\s+labels:\\s+severity: (\\w+)");

    private static Map<String, MatchResult> rulesInFile() throws IOException {
        String text;
        try (InputStream in = AlertRules.class.getResourceAsStream(AlertRules.PROMETHEUS_RULES)) {
            assertThat(in).as("classpath resource " + AlertRules.PROMETHEUS_RULES).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, MatchResult> rules = new LinkedHashMap<>();
        Matcher matcher = RULE.matcher(text);
        while (matcher.find()) {
            rules.put(matcher.group(1), matcher.toMatchResult());
        }
        return rules;
    }

    private static Duration duration(String amount, String unit) {
        long value = Long.parseLong(amount);
        return unit.equals("s") ? Duration.ofSeconds(value) : unit.equals("m") ? Duration.ofMinutes(value)
                : Duration.ofHours(value);
    }

    @Test
    void listsTheSameRulesWithTheSameForDurationsSeveritiesAndThresholds() throws IOException {
        Map<String, MatchResult> file = rulesInFile();

        assertThat(file.keySet()).containsExactlyElementsOf(
                AlertRules.defaults("database", Path.of(".")).stream().map(AlertRule::name).toList());
        for (AlertRule rule : AlertRules.defaults("database", Path.of("."))) {
            MatchResult inFile = file.get(rule.name());
            assertThat(duration(inFile.group(3), inFile.group(4))).as(rule.name() + " for").isEqualTo(rule.forDuration());
            assertThat(inFile.group(5)).as(rule.name() + " severity")
                    .isEqualTo(rule.severity().name().toLowerCase(Locale.ROOT));
            if (!Double.isNaN(rule.threshold())) {
                String expr = inFile.group(2);
                double threshold = Double.parseDouble(expr.substring(expr.lastIndexOf('>') + 1).trim());
                assertThat(threshold).as(rule.name() + " threshold").isEqualTo(rule.threshold());
            }
        }
    }

    @Test
    void everyMetricTheRulesReadIsPublishedByTheLibraryOrMicrometersBinders() throws IOException {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (HealthRegistry health = HealthRegistry.builder().check("database", HealthCheckResult::up).build()) {
            health.bindTo(meters);
            new JvmMemoryMetrics().bindTo(meters);
            new DiskSpaceMetrics(new File(".")).bindTo(meters);
            RequestMetrics requests = RequestMetrics.builder(meters).routes("/api/orders/{id}").build();
            requests.end(requests.begin(), "GET", "/api/orders/1", 500, null);
            String scrape = meters.scrape();

            for (MatchResult rule : rulesInFile().values()) {
                Matcher metric = METRIC.matcher(rule.group(2));
                assertThat(metric.find()).as(rule.group(1) + " reads a metric").isTrue();
                do {
                    assertThat(scrape).as(rule.group(1) + " reads " + metric.group())
                            .containsPattern("(?m)^" + metric.group() + "[{ ]");
                } while (metric.find());
            }
            assertThat(scrape).contains("quantile=\"0.95\"");
        }
    }

    @Test
    void theRequestRulesLookAtTheSameWindowAsRequestMetrics() throws IOException {
        String window = "[" + RequestMetrics.WINDOW.toMinutes() + "m]";

        assertThat(rulesInFile().get("HighErrorRate").group(2)).contains(window).doesNotContain("outcome!=");
        assertThat(rulesInFile().get("HighLatencyP95").group(2))
                .contains("by (instance, uri, method)").doesNotContain("status").doesNotContain("exception");
    }
}
