package dev.resilience.spring.boot.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real embedded Tomcat on a random port with {@code server.shutdown=graceful}: closing the context takes
 * readiness down (over HTTP, while the server still serves), then the request in flight is answered, then the
 * resources close.
 */
class GracefulShutdownSpringBootIT {

    static final CountDownLatch entered = new CountDownLatch(1);
    static final CountDownLatch release = new CountDownLatch(1);
    static final List<String> events = new CopyOnWriteArrayList<>();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext app;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @RestController
    static class App {
        @GetMapping("/slow")
        String slow() throws InterruptedException {
            entered.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            events.add("slow request answered");
            return "done";
        }

        @GetMapping("/fast")
        String fast() {
            return "ok";
        }

        @Bean
        HealthCheck database() {
            return () -> HealthCheckResult.up();
        }

        /** Stands for a module's resource (a pool, a limiter's Redis connection): Spring closes it. */
        @Bean
        AutoCloseable pool() {
            return () -> events.add("pool closed");
        }
    }

    @AfterEach
    void closeIfLeftOpen() {
        release.countDown();
        if (app != null) {
            app.close();
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessGoesDownOverHttpBeforeTheServerDrainsAndTheRequestInFlightStillAnswers200() throws Exception {
        app = new SpringApplicationBuilder(App.class).properties(
                "server.port=0", "server.address=127.0.0.1", "server.shutdown=graceful",
                "spring.lifecycle.timeout-per-shutdown-phase=20s",
                "resilience.shutdown.drain-delay=3s",
                // no database in this test: the pool module and Boot's JDBC starter are on the test class path
                "resilience.pool.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.show-components=always",
                "management.endpoints.web.exposure.include=health").run();
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the slow request reached the controller").isTrue();

        Thread closer = new Thread(app::close, "context-closer");
        closer.start();

        // during the drain delay the server still serves, and readiness says OUT_OF_SERVICE, ours included
        HttpResponse<String> readiness = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(port, "/actuator/health/readiness"), r -> r.statusCode() == 503);
        assertThat(new ObjectMapper().readTree(readiness.body()).get("status").asText()).isEqualTo("OUT_OF_SERVICE");
        JsonNode health = new ObjectMapper().readTree(get(port, "/actuator/health").body());
        assertThat(health.at("/components/resilience/status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.at("/components/resilience/components/shutdown/status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.at("/components/resilience/components/database/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/readinessState/status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health.at("/components/livenessState/status").asText()).isEqualTo("UP");
        assertThat(get(port, "/fast").statusCode()).as("still serving while balancers notice").isEqualTo(200);
        assertThat(events).isEmpty();

        release.countDown();
        HttpResponse<String> answered = slow.get(20, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("done");

        closer.join(Duration.ofSeconds(30).toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(events).containsExactly("slow request answered", "pool closed");
    }
}
