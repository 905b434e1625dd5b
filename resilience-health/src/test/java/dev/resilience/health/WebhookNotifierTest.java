package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.core.Backoff;
import dev.resilience.core.Retry;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook notifier against a local HTTP server whose answers the test scripts. */
class WebhookNotifierTest {

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Queue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            Integer status = answers.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI hook() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private WebhookNotifier notifier() {
        Retry retry = Retry.builder("webhook-test").maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(2)))
                .retryIf(WebhookNotifier::retryable).clock(clock).sleeper(scheduler).build();
        return WebhookNotifier.builder(hook()).retry(retry).header("Authorization", "Bearer hook-secret").build();
    }

    private Alert firingAlert() {
        List<Alert> fired = new CopyOnWriteArrayList<>();
        AlertMonitor monitor = AlertMonitor.builder(new SimpleMeterRegistry()).clock(clock).scheduler(scheduler)
                .executor(Runnable::run).notifier(fired::add)
                .rule(AlertRule.builder("ApiDown").condition(context -> true).severity(Severity.CRITICAL).build())
                .build();
        monitor.evaluate();
        return fired.get(0);
    }

    @Test
    void retriesAfterAServerErrorUntilTheWebhookAccepts() throws Exception {
        answers.add(503);
        Alert alert = firingAlert();

        notifier().notify(alert);

        assertThat(bodies).hasSize(2);
        assertThat(scheduler.sleeps()).containsExactly(Duration.ofSeconds(2));
        JsonNode body = new ObjectMapper().readTree(bodies.get(1));
        assertThat(body.get("id").asText()).isEqualTo("ApiDown-1");
        assertThat(body.get("state").asText()).isEqualTo("firing");
        assertThat(body.get("severity").asText()).isEqualTo("critical");
        assertThat(authorizations).containsOnly("Bearer hook-secret");
    }

    @Test
    void doesNotRetryAClientError() {
        answers.add(400);
        Alert alert = firingAlert();

        assertThatThrownBy(() -> notifier().notify(alert)).isInstanceOf(WebhookException.class)
                .hasMessage("webhook answered HTTP 400");
        assertThat(bodies).hasSize(1);
    }

    @Test
    void givesUpAfterTheLastAttemptWithoutLeakingTheUrl() {
        answers.add(500);
        answers.add(502);
        answers.add(503);
        Alert alert = firingAlert();
        WebhookNotifier notifier = notifier();

        assertThatThrownBy(() -> notifier.notify(alert)).isInstanceOf(WebhookException.class)
                .hasMessage("webhook answered HTTP 503");
        assertThat(bodies).hasSize(3);
        assertThat(notifier.toString()).doesNotContain("/hook");
    }

    @Test
    void rejectsANonHttpUrlWithoutEchoingIt() {
        assertThatThrownBy(() -> WebhookNotifier.builder(URI.create("ftp://user:pw@example.com/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp").hasMessageNotContaining("pw");
    }
}
