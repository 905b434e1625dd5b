package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.testkit.PrometheusTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus rules (the health rules and the module rules), checked by Prometheus's own {@code promtool}: syntax and PromQL
 * ({@code check rules}) and behaviour ({@code test rules} with {@code prometheus-alerts-test.yml} and
 * {@code prometheus-module-alerts-test.yml}:
 * every rule fires when its condition holds for its {@code for} duration, not before, and stays quiet
 * when it does not hold).
 */
class PromtoolIT {

    private static final String UNIT_TESTS = "/dev/resilience/health/prometheus-alerts-test.yml";
    static final String MODULE_RULES = "/dev/resilience/health/prometheus-module-alerts.yml";
    private static final String MODULE_UNIT_TESTS = "/dev/resilience/health/prometheus-module-alerts-test.yml";

    @TempDir
    Path dir;

    private PrometheusTools.Result promtool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(PrometheusTools.binary("promtool").toString()));
        command.addAll(List.of(arguments));
        return PrometheusTools.run(dir, command);
    }

    @Test
    void aMissingBinaryFailsTheTestSayingHowToInstallIt() {
        assertThatThrownBy(() -> PrometheusTools.binary("promtool-that-is-not-installed"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("promtool-that-is-not-installed is not on the PATH")
                .hasMessageContaining("apt-get install -y prometheus");
    }

    @Test
    void shippedRulesPassPromtoolCheckRules() {
        PrometheusTools.copyResource(AlertRules.PROMETHEUS_RULES, dir);
        PrometheusTools.copyResource(MODULE_RULES, dir);

        PrometheusTools.Result result = promtool("check", "rules", "prometheus-alerts.yml", "prometheus-module-alerts.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).contains("SUCCESS: 6 rules found").contains("SUCCESS: 8 rules found");
    }

    @Test
    void shippedRulesPassTheirPromtoolUnitTests() {
        PrometheusTools.copyResource(AlertRules.PROMETHEUS_RULES, dir);
        PrometheusTools.copyResource(UNIT_TESTS, dir);
        PrometheusTools.copyResource(MODULE_RULES, dir);
        PrometheusTools.copyResource(MODULE_UNIT_TESTS, dir);

        PrometheusTools.Result result = promtool("test", "rules", "prometheus-alerts-test.yml",
                "prometheus-module-alerts-test.yml");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("FAILED");
    }

    @Test
    void theUnitTestsCatchAShorterForDurationAndAHigherThreshold() throws IOException {
        Path rules = PrometheusTools.copyResource(AlertRules.PROMETHEUS_RULES, dir);
        PrometheusTools.copyResource(UNIT_TESTS, dir);
        Files.writeString(rules, Files.readString(rules).replace("for: 2m", "for: 1m").replace("> 0.05", "> 0.2"));

        PrometheusTools.Result result = promtool("test", "rules", "prometheus-alerts-test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alertname: ServiceDown, time: 2m").contains("alertname: HighErrorRate, time: 10m");
    }

    @Test
    void theModuleUnitTestsCatchAForDurationAndAnAgeLimitThatDrifted() throws IOException {
        Path rules = PrometheusTools.copyResource(MODULE_RULES, dir);
        PrometheusTools.copyResource(MODULE_UNIT_TESTS, dir);
        Files.writeString(rules, Files.readString(rules).replace("for: 2m", "for: 3m").replace("26 * 3600", "24 * 3600")
                .replace(">= 50", ">= 60").replace("for: 10m", "for: 15m"));

        PrometheusTools.Result result = promtool("test", "rules", "prometheus-module-alerts-test.yml");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("alertname: CircuitBreakerOpen, time: 3m").contains("alertname: BackupTooOld, time: 1d2h")
                .contains("alertname: QueueDeadLettersGrowing, time: 30m").contains("alertname: QueueFailureRateHigh, time: 12m");
    }
}
