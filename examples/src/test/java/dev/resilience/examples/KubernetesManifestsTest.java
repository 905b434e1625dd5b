package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Kubernetes manifests agree with the service: probe paths it serves, a grace period longer than its shutdown. */
class KubernetesManifestsTest {

    static final Path DEPLOYMENT = Path.of("deploy", "kubernetes", "deployment.yaml");

    @Test
    void probesUseTheLivenessAndReadinessEndpoints() throws IOException {
        String yaml = Files.readString(DEPLOYMENT);

        assertThat(probePath(yaml, "startupProbe")).isEqualTo("/health/live");
        assertThat(probePath(yaml, "livenessProbe")).isEqualTo("/health/live");
        assertThat(probePath(yaml, "readinessProbe")).isEqualTo("/health/ready");
    }

    @Test
    void theGracePeriodOutlastsTheDrainAndTheWaitForRequests() throws IOException {
        String yaml = Files.readString(DEPLOYMENT);
        Duration drain = ServiceConfig.parseDuration(env(yaml, "SHUTDOWN_DRAIN"));
        Duration grace = ServiceConfig.parseDuration(env(yaml, "SHUTDOWN_GRACE"));
        Matcher period = Pattern.compile("terminationGracePeriodSeconds: (\\d+)").matcher(yaml);
        assertThat(period.find()).isTrue();

        // closing the parts after the wait takes a few seconds (the pool, the embedded or remote database)
        assertThat(Duration.ofSeconds(Long.parseLong(period.group(1)))).isGreaterThanOrEqualTo(drain.plus(grace).plusSeconds(5));
    }

    @Test
    void aDisruptionBudgetKeepsAPodServing() throws IOException {
        String yaml = Files.readString(DEPLOYMENT);

        assertThat(yaml).contains("kind: PodDisruptionBudget").contains("minAvailable: 1");
        assertThat(yaml).containsPattern("replicas: [2-9]");
    }

    static String probePath(String yaml, String probe) {
        Matcher m = Pattern.compile(probe + ":\\s*\\n\\s*httpGet: \\{path: (\\S+),").matcher(yaml);
        assertThat(m.find()).as(probe).isTrue();
        return m.group(1);
    }

    static String env(String yaml, String name) {
        Matcher m = Pattern.compile("- name: " + name + "\\s*\\n\\s*value: \"?([^\"\\n]+)\"?").matcher(yaml);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }
}
