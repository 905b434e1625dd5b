package dev.resilience.benchmarks.health;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.resilience.health.RequestMetrics;
import dev.resilience.health.RequestMetricsFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Overhead of the request metrics middleware per request on the JDK server's filter chain, in
 * process (no sockets): a bare handler, the same handler behind {@link RequestMetricsFilter}, and
 * behind the filter most services write by hand (a {@code Timer.Sample} and a
 * {@code Timer.builder(...).tags(...).register(...)} lookup per request, with the route resolved by
 * a regular expression). All record into a Prometheus registry with P50/P95/P99.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestMetricsBenchmark {

    private static final URI[] PATHS = {
        URI.create("/api/orders/1001"), URI.create("/api/orders/1002/items/7"), URI.create("/api/customers/42"),
        URI.create("/api/orders/1003"),
    };

    private final HttpHandler handler = exchange -> exchange.sendResponseHeaders(200, -1);
    private final FakeExchange exchange = new FakeExchange();
    // Filter.Chain is single-use (it walks an iterator), so each request gets a new one, as in the server
    private List<Filter> bare;
    private List<Filter> ours;
    private List<Filter> handRolled;
    private List<Filter> oursWithoutPercentiles;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RequestMetrics metrics = RequestMetrics.builder(registry)
                .routes("/api/orders/{id}", "/api/orders/{id}/items/{item}", "/api/customers/{id}").build();
        RequestMetrics noPercentiles = RequestMetrics.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .routes("/api/orders/{id}", "/api/orders/{id}/items/{item}", "/api/customers/{id}")
                .percentiles().build();
        oursWithoutPercentiles = List.of(new RequestMetricsFilter(noPercentiles));
        bare = List.of();
        ours = List.of(new RequestMetricsFilter(metrics));
        handRolled = List.of(new HandRolledFilter(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    private FakeExchange nextExchange() {
        next = (next + 1) & 3;
        return exchange.reset("GET", PATHS[next]);
    }

    @Benchmark
    public int bareHandler() throws IOException {
        FakeExchange e = nextExchange();
        new Filter.Chain(bare, handler).doFilter(e);
        return e.getResponseCode();
    }

    @Benchmark
    public int withRequestMetrics() throws IOException {
        FakeExchange e = nextExchange();
        new Filter.Chain(ours, handler).doFilter(e);
        return e.getResponseCode();
    }

    /** Shows how much of the overhead is Micrometer's client-side percentile histogram. */
    @Benchmark
    public int withRequestMetricsWithoutPercentiles() throws IOException {
        FakeExchange e = nextExchange();
        new Filter.Chain(oursWithoutPercentiles, handler).doFilter(e);
        return e.getResponseCode();
    }

    @Benchmark
    public int withHandRolledMicrometerFilter() throws IOException {
        FakeExchange e = nextExchange();
        new Filter.Chain(handRolled, handler).doFilter(e);
        return e.getResponseCode();
    }

    /** The usual hand-written instrumentation, as the peer. */
    static final class HandRolledFilter extends Filter {
        private final PrometheusMeterRegistry registry;

        HandRolledFilter(PrometheusMeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            Timer.Sample sample = Timer.start(registry);
            chain.doFilter(exchange);
            String path = exchange.getRequestURI().getPath();
            String uri = path.matches("/api/orders/\\d+") ? "/api/orders/{id}"
                    : path.matches("/api/orders/\\d+/items/\\d+") ? "/api/orders/{id}/items/{item}"
                    : path.matches("/api/customers/\\d+") ? "/api/customers/{id}" : "UNKNOWN";
            int status = exchange.getResponseCode();
            sample.stop(Timer.builder("http.server.requests")
                    .tag("uri", uri).tag("method", exchange.getRequestMethod())
                    .tag("status", Integer.toString(status)).tag("outcome", status < 400 ? "SUCCESS" : "ERROR")
                    .tag("exception", "none").publishPercentiles(0.5, 0.95, 0.99).register(registry));
        }

        @Override
        public String description() {
            return "hand-rolled metrics";
        }
    }
}
