package dev.resilience.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.testkit.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example end to end, against the real PostgreSQL, over HTTP on a random port: orders through
 * JdbcTemplate and {@code @Transactional}, the retry and breaker around the flaky upstream, and Actuator's
 * health groups and Prometheus page showing the starter's checks and meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability   // tests turn metrics export (so /actuator/prometheus) off unless asked
@Import(OrdersApplicationIT.ToggledCheck.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersApplicationIT {

    static final AtomicReference<HealthCheckResult> TOGGLED = new AtomicReference<>(HealthCheckResult.up());

    /** One more core HealthCheck bean, whose status the test sets. */
    @TestConfiguration
    static class ToggledCheck {
        @Bean
        HealthCheck toggled() {
            return TOGGLED::get;
        }
    }

    private static final String SCHEMA = "sb_example_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Autowired
    TestRestTemplate http;

    @Autowired
    JdbcTemplate jdbc;

    private final ObjectMapper json = new ObjectMapper();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) throws Exception {
        String url = TestServices.postgresUrl("test");
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create schema " + SCHEMA);
        }
        registry.add("spring.datasource.url", () -> url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try (Connection connection = DriverManager.getConnection(TestServices.postgresUrl("test"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("drop schema " + SCHEMA + " cascade");
        }
    }

    @Test
    @Order(1)
    void anOrderIsPricedThroughTheRetryAndStored() throws Exception {
        setFailureEvery(2);   // every second upstream request fails: the retry hides it
        for (int i = 0; i < 3; i++) {
            ResponseEntity<String> placed = http.postForEntity("/orders", Map.of("sku", "A-1", "quantity", 2), String.class);
            assertThat(placed.getStatusCode().value()).isEqualTo(200);
            JsonNode order = json.readTree(placed.getBody());
            assertThat(order.get("priceSource").asText()).isEqualTo("upstream");
            assertThat(order.get("total").decimalValue()).isEqualByComparingTo("25.00");
            ResponseEntity<String> read = http.getForEntity("/orders/" + order.get("id").asLong(), String.class);
            assertThat(json.readTree(read.getBody()).get("sku").asText()).isEqualTo("A-1");
        }
    }

    @Test
    @Order(2)
    void aFailedReservationRollsTheOrderBack() {
        setFailureEvery(0);
        ResponseEntity<String> placed = http.postForEntity("/orders", Map.of("sku", "B-2", "quantity", 6), String.class);
        assertThat(placed.getStatusCode().value()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select count(*) from orders where sku = 'B-2'", Integer.class)).isZero();
    }

    @Test
    @Order(3)
    void healthGroupsShowOurChecks() throws Exception {
        JsonNode health = json.readTree(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(health.at("/components/resilience/components/disk/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/circuitBreakers/components/pricing/status").asText()).isEqualTo("UP");

        assertThat(health.at("/components/resilience/components/toggled/status").asText()).isEqualTo("UP");
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);

        // Actuator's probe groups hide their components: their status shows what they hold
        TOGGLED.set(HealthCheckResult.down("dependency lost"));
        try {
            assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(503);
            assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode().value()).isEqualTo(200);
        } finally {
            TOGGLED.set(HealthCheckResult.up());
        }
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void prometheusShowsOurMetersAndCountsEachRequestOnce() {
        long before = requestCount("/orders/{id}");
        http.getForEntity("/orders/1", String.class);
        http.getForEntity("/orders/2", String.class);
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        assertThat(page).containsPattern("resilience_retry_calls_total\\{[^}]*name=\"pricing\"[^}]*result=\"success_with_retry\"[^}]*} [1-9]")
                .containsPattern("resilience_circuitbreaker_calls_total\\{[^}]*name=\"pricing\"[^}]*result=\"failure\"[^}]*} [1-9]")
                .containsPattern("resilience_circuitbreaker_state\\{[^}]*name=\"pricing\"[^}]*state=\"closed\"[^}]*} 1");
        // Actuator's own request metrics, and only them: two requests, two counts (no second filter of ours)
        assertThat(requestCount("/orders/{id}") - before).isEqualTo(2);
    }

    @Test
    @Order(5)
    void whenTheUpstreamIsDownTheBreakerOpensAndTheListPriceIsServed() throws Exception {
        setFailureEvery(1);
        String lastSource = "";
        for (int i = 0; i < 6; i++) {
            JsonNode order = json.readTree(http.postForEntity("/orders", Map.of("sku", "A-1", "quantity", 1), String.class).getBody());
            assertThat(order.get("total").decimalValue()).isEqualByComparingTo("10.00");
            lastSource = order.get("priceSource").asText();
        }
        assertThat(lastSource).isEqualTo("list price (CallNotPermittedException)");
        ResponseEntity<String> health = http.getForEntity("/actuator/health", String.class);
        assertThat(json.readTree(health.getBody()).at("/components/circuitBreakers/components/pricing/status").asText())
                .isEqualTo("DOWN");
        // an open breaker around one upstream does not take the instance out of rotation
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode().value()).isEqualTo(200);
    }

    private void setFailureEvery(int every) {
        http.exchange("/upstream/failure-every", HttpMethod.PUT, new HttpEntity<>(every), Void.class);
    }

    private long requestCount(String uri) {
        String page = http.getForEntity("/actuator/prometheus", String.class).getBody();
        Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{(.*)} ([0-9.]+)$", Pattern.MULTILINE).matcher(page);
        long total = 0;
        while (m.find()) {
            if (m.group(1).contains("uri=\"" + uri + "\"")) {
                total += (long) Double.parseDouble(m.group(2));
            }
        }
        return total;
    }
}
