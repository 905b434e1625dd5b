package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

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
}
