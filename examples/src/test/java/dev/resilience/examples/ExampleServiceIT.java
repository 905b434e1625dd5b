package dev.resilience.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The example service end to end, over HTTP, against the real PostgreSQL (database
 * {@value #DATABASE}, created and dropped here) and the real Redis (keys under a prefix of this run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExampleServiceIT {

    static final String DATABASE = "resilience_example_it";
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ExampleService service;

    @BeforeAll
    void startService() throws Exception {
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        }
        service = ExampleService.start(ServiceConfig.fromEnv(env(Map.of())));
    }

    @AfterAll
    void stopService() throws Exception {
        if (service != null) {
            service.close();
        }
        try (Connection c = DriverManager.getConnection(TestServices.postgresUrl("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @Test
    void createsAndReadsOrders() throws Exception {
        HttpResponse<String> created = post("/api/orders", "{\"customer\":\"ann\",\"item\":\"book\",\"quantity\":2}");

        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        JsonNode read = json(get(location));
        assertThat(read.get("customer").asText()).isEqualTo("ann");
        assertThat(read.get("quantity").asInt()).isEqualTo(2);
        JsonNode list = json(get("/api/orders"));
        assertThat(list.get("orders").findValuesAsText("id")).contains(read.get("id").asText());
    }

    /** The service's environment for this test: the real database and Redis, a free port, plus {@code extra}. */
    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", TestServices.postgresUrl(DATABASE));
        env.putAll(extra);
        return env;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return service.baseUri().resolve(path);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.uri(), response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
