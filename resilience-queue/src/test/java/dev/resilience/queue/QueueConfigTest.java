package dev.resilience.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.queue.admin.QueueAdminHandler;
import dev.resilience.queue.webhook.WebhookSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** config() of the queue's components reports the built values and the defaults, and never a secret; nothing connects. */
class QueueConfigTest {

    private static final String SECRET = "webhook-secret-0123456789";
    private static final String TOKEN = "admin-token-abcdefghijklmnop";

    @Test
    void queueConfigReportsTheDefaults() {
        TaskQueue queue = TaskQueue.builder(new PGSimpleDataSource()).instanceName("node-1").handler("mail", task -> { })
                .build();
        TaskQueue.Config config = queue.config();
        assertThat(config).isEqualTo(new TaskQueue.Config("resilience_queue", "node-1", 4, 10, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofDays(30),
                DeadLetterRetention.ARCHIVE, Map.of("mail", TaskPolicy.ofDefaults())));
    }

    @Test
    void queueConfigReportsTheBuiltValues() {
        TaskPolicy policy = TaskPolicy.builder().maxAttempts(2).timeout(Duration.ofSeconds(7)).build();
        TaskQueue queue = TaskQueue.builder(new PGSimpleDataSource()).schema("jobs").instanceName("node-2").workers(3)
                .batchSize(5).leaseDuration(Duration.ofSeconds(60)).heartbeatInterval(Duration.ofSeconds(5))
                .pollInterval(Duration.ofSeconds(2)).shutdownTimeout(Duration.ofSeconds(4))
                .deadLetterRetention(Duration.ofDays(3), DeadLetterRetention.DELETE)
                .handler("b", task -> { }, policy).handler("a", task -> { }).build();
        TaskQueue.Config config = queue.config();
        assertThat(config).isEqualTo(new TaskQueue.Config("jobs", "node-2", 3, 5, Duration.ofSeconds(60),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofDays(3),
                DeadLetterRetention.DELETE, Map.of("a", TaskPolicy.ofDefaults(), "b", policy)));
        assertThat(config.policies().keySet()).containsExactly("a", "b");
        assertThat(config.policies().get("b").maxAttempts()).isEqualTo(2);
        assertThat(config.policies().get("b").timeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void policyGettersReportTheDefaults() {
        TaskPolicy policy = TaskPolicy.ofDefaults();
        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(policy.timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.backoff()).isNotNull();
    }

    @Test
    void webhookConfigShowsNeitherTheSecretNorThePath() {
        WebhookSender defaults = WebhookSender.builder(URI.create("https://user:pw@hooks.example.com/t/" + TOKEN + "?k=" + TOKEN),
                SECRET.getBytes(StandardCharsets.UTF_8)).build();
        assertThat(defaults.config()).isEqualTo(new WebhookSender.Config("https://hooks.example.com", Duration.ofSeconds(10), false));
        WebhookSender custom = WebhookSender.builder(URI.create("http://localhost:8089/hook"),
                SECRET.getBytes(StandardCharsets.UTF_8)).timeout(Duration.ofSeconds(3))
                .httpClient(HttpClient.newHttpClient()).build();
        assertThat(custom.config()).isEqualTo(new WebhookSender.Config("http://localhost:8089", Duration.ofSeconds(3), true));
        for (Object shown : new Object[] {defaults.config(), defaults, custom.config(), custom}) {
            assertThat(shown.toString()).doesNotContain(SECRET).doesNotContain(TOKEN).doesNotContain("pw");
        }
    }

    @Test
    void adminHandlerTellsItsAccessButNotTheToken() {
        TaskQueue queue = TaskQueue.builder(new PGSimpleDataSource()).handler("t", task -> { }).build();
        assertThat(QueueAdminHandler.disabled(queue).access()).isEqualTo(QueueAdminHandler.Access.DISABLED);
        assertThat(QueueAdminHandler.open(queue).access()).isEqualTo(QueueAdminHandler.Access.OPEN);
        QueueAdminHandler withToken = QueueAdminHandler.withToken(queue, TOKEN);
        assertThat(withToken.access()).isEqualTo(QueueAdminHandler.Access.TOKEN);
        assertThat(withToken.toString()).contains("token").doesNotContain(TOKEN);
    }
}
