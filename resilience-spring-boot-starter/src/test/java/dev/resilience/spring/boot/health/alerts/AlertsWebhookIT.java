package dev.resilience.spring.boot.health.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.resilience.health.AlertRule;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A webhook configured in properties really posts each alert transition, with its header, to a real HTTP receiver. */
class AlertsWebhookIT {

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aForcedRuleIsPostedToTheWebhookFromPropertiesWithItsHeaderWhenFiringAndWhenResolved() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks/T000/SECRET", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        ManualScheduler scheduler = new ManualScheduler(new ManualClock());
        AtomicBoolean forced = new AtomicBoolean();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAlertsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("manualTime", AlertMonitorCustomizer.class, () -> builder -> builder
                        .clock(scheduler.clock()).scheduler(scheduler).executor(Runnable::run))
                .withBean("forced", AlertRule.class, () -> AlertRule.builder("Forced").condition(c -> forced.get())
                        .build())
                .withPropertyValues("resilience.alerts.notifiers.log.enabled=false",
                        "resilience.alerts.notifiers.webhooks.chat.url=http://127.0.0.1:"
                                + receiver.getAddress().getPort() + "/hooks/T000/SECRET",
                        "resilience.alerts.notifiers.webhooks.chat.headers.Authorization=Bearer t0ken",
                        "resilience.alerts.rules.service-down.enabled=false",
                        "resilience.alerts.rules.disk-almost-full.enabled=false",
                        "resilience.alerts.rules.heap-usage-high.enabled=false")
                .run(context -> {
                    forced.set(true);
                    scheduler.advance(Duration.ofSeconds(15));
                    forced.set(false);
                    scheduler.advance(Duration.ofSeconds(15));
                    assertThat(authorizations).containsExactly("Bearer t0ken", "Bearer t0ken");
                    ObjectMapper json = new ObjectMapper();
                    JsonNode firing = json.readTree(bodies.get(0));
                    JsonNode resolved = json.readTree(bodies.get(1));
                    assertThat(firing.get("rule").asText()).isEqualTo("Forced");
                    assertThat(firing.get("state").asText()).isEqualToIgnoringCase("firing");
                    assertThat(resolved.get("state").asText()).isEqualToIgnoringCase("resolved");
                });
    }
}
