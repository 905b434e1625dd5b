package dev.resilience.benchmarks.health;

import com.sun.net.httpserver.HttpHandler;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.health.CheckOptions;
import dev.resilience.health.HealthEndpoints;
import dev.resilience.health.HealthHttpHandler;
import dev.resilience.health.HealthRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code GET /health} served from the cache through {@link HealthHttpHandler} (in process, no
 * sockets), with three checks; against a handler that writes a constant JSON body (the floor of any
 * health endpoint) and against {@link HealthRegistry#report()} alone (the cache lookup and aggregation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HealthEndpointBenchmark {

    private static final URI HEALTH = URI.create("/health");
    private static final byte[] CONSTANT = "{\"status\":\"pass\",\"score\":100}".getBytes(StandardCharsets.UTF_8);

    private final FakeExchange exchange = new FakeExchange();
    private HealthRegistry registry;
    private HttpHandler handler;
    private final HttpHandler constant = e -> {
        e.getResponseHeaders().set("Content-Type", "application/health+json");
        e.sendResponseHeaders(200, CONSTANT.length);
        e.getResponseBody().write(CONSTANT);
    };

    @Setup(Level.Trial)
    public void setUp() {
        registry = HealthRegistry.builder().cacheTtl(Duration.ofHours(1))
                .check("database", HealthCheckResult::up)
                .check("redis", () -> HealthCheckResult.degraded("serving from memory"),
                        CheckOptions.defaults().withCritical(false))
                .check("disk", HealthCheckResult::up, CheckOptions.defaults().withGroups(HealthRegistry.LIVENESS))
                .build();
        registry.report();
        handler = new HealthHttpHandler(HealthEndpoints.builder(registry).build());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public int constantJsonHandler() throws IOException {
        constant.handle(exchange.reset("GET", HEALTH));
        return exchange.bodySize();
    }

    @Benchmark
    public int healthFromCache() throws IOException {
        handler.handle(exchange.reset("GET", HEALTH));
        return exchange.bodySize();
    }

    @Benchmark
    public Object registryReportOnly() {
        return registry.report();
    }
}
