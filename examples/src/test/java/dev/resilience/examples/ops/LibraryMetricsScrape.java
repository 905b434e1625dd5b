package dev.resilience.examples.ops;

import dev.resilience.backup.micrometer.BackupMetrics;
import dev.resilience.core.Bulkhead;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.Retry;
import dev.resilience.core.micrometer.BulkheadMetrics;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.core.micrometer.RetryMetrics;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.RequestMetrics;
import dev.resilience.pool.ResilientDataSource;
import dev.resilience.queue.TaskQueue;
import dev.resilience.queue.micrometer.QueueMetrics;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import dev.resilience.ratelimit.micrometer.RateLimitMetrics;
import dev.resilience.testkit.TestServices;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What a service wiring every module exports to Prometheus: the real Micrometer binders of core
 * (breaker, retry, bulkhead), health (health gauges, request metrics), pool (a real pool on the test
 * PostgreSQL, HikariCP's meters included), rate limit (a Redis limiter on the test Redis), backup and queue,
 * and Micrometer's JVM memory and disk binders (which the shipped rules read), on one
 * {@link PrometheusMeterRegistry}, each used once so every series exists; then scraped.
 */
final class LibraryMetricsScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? .*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    private LibraryMetricsScrape() {
    }

    /** The Prometheus text of every module's binders. */
    static String scrape() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);          // read by the shipped HeapUsageHigh rule
        new DiskSpaceMetrics(new File(".")).bindTo(meters); // read by DiskAlmostFull

        CircuitBreaker breaker = CircuitBreaker.ofDefaults("payments");
        new CircuitBreakerMetrics(breaker).bindTo(meters);
        breaker.call(() -> "ok");
        Retry retry = Retry.ofDefaults("payments");
        new RetryMetrics(retry).bindTo(meters);
        retry.call(() -> "ok");
        Bulkhead bulkhead = Bulkhead.ofDefaults("reports");
        new BulkheadMetrics(bulkhead).bindTo(meters);
        bulkhead.call(() -> "ok");

        try (HealthRegistry health = HealthRegistry.builder().check("database", HealthCheckResult::up).build()) {
            health.bindTo(meters);
            RequestMetrics requests = RequestMetrics.builder(meters).routes("/api/orders/{id}").build();
            requests.end(requests.begin(), "GET", "/api/orders/1", 200, null);
            requests.end(requests.begin(), "GET", "/api/orders/2", 500, null);

            BackupMetrics.bindTo(meters, "orders");
            // the queue's database gauges read NaN here (its database is unreachable): the series exist all the same
            PGSimpleDataSource nowhere = new PGSimpleDataSource();
            nowhere.setServerNames(new String[] {"127.0.0.1"});
            nowhere.setPortNumbers(new int[] {1});
            QueueMetrics.bindTo(meters, TaskQueue.builder(nowhere).schema("orders_queue")
                    .handler("order.created", task -> { }).build());

            RateLimitMetrics rateLimits = new RateLimitMetrics(meters);
            try (RedisBackend redis = RedisBackend.create(TestServices.redisUri());
                    RateLimiter limiter = RedisRateLimiter.builder("dashboard-" + UUID.randomUUID(), RateLimitPolicy.of(
                            Limit.slidingWindow("ip1m", 10, Duration.ofMinutes(1))))
                            .backend(redis).listener(rateLimits).build();
                    ResilientDataSource db = ResilientDataSource.builder()
                            .url(TestServices.postgresUrl("postgres")).username("postgres")
                            .poolName("app").minimumIdle(1).maximumPoolSize(2).meterRegistry(meters).build()) {
                limiter.tryAcquire("client");
                db.transaction(connection -> connection.createStatement().execute("SELECT 1"));
                return meters.scrape();
            }
        }
    }

    /** Metric name to the label names its samples carry, from Prometheus text. */
    static Map<String, Set<String>> labelsByMetric(String scrape) {
        Map<String, Set<String>> labels = new HashMap<>();
        for (String line : scrape.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Set<String> names = labels.computeIfAbsent(sample.group(1), k -> new HashSet<>());
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    names.add(label.group(1));
                }
            }
        }
        return labels;
    }
}
