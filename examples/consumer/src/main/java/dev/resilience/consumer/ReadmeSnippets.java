package dev.resilience.consumer;

import dev.resilience.backup.BackupScheduler;
import dev.resilience.backup.LocalDirectoryStore;
import dev.resilience.backup.PostgresBackup;
import dev.resilience.backup.BackupRetention;
import dev.resilience.backup.micrometer.BackupMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.resilience.cache.RedisCache;
import dev.resilience.cache.http.CacheHttpHandler;
import dev.resilience.cache.jackson.JacksonCodec;
import dev.resilience.cache.micrometer.CacheMetrics;
import dev.resilience.core.Backoff;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.core.Fallback;
import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthCheckResult;
import dev.resilience.core.Jitter;
import dev.resilience.core.Policy;
import dev.resilience.core.Resilience;
import dev.resilience.core.Retry;
import dev.resilience.core.RetryBudget;
import dev.resilience.core.Timeout;
import dev.resilience.core.micrometer.CircuitBreakerMetrics;
import dev.resilience.core.micrometer.RetryMetrics;
import dev.resilience.health.CheckOptions;
import dev.resilience.health.EndpointAccess;
import dev.resilience.health.GracefulShutdown;
import dev.resilience.health.HealthChecks;
import dev.resilience.health.HealthEndpoints;
import dev.resilience.health.HealthHttpHandler;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.RequestMetrics;
import dev.resilience.health.RequestMetricsFilter;
import dev.resilience.pool.ResilientDataSource;
import dev.resilience.queue.Task;
import dev.resilience.queue.TaskPolicy;
import dev.resilience.queue.TaskQueue;
import dev.resilience.ratelimit.ClientIpResolver;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.ProxyHeader;
import dev.resilience.ratelimit.RateLimitHttpFilter;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import dev.resilience.redis.RedisConnection;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The root README's Java samples, each in a method whose parameters are the names the sample takes
 * from its surroundings, compiled against only what the BOM and the README's dependency snippets give.
 * ReadmeSnippetsTest checks that every sample here still reads as in the README.
 */
final class ReadmeSnippets {

    /** What the resilience-core sample calls. */
    interface Inventory {
        Stock stock(String sku) throws IOException;
    }

    /** What the resilience-core sample answers. */
    record Stock(int units) {
        static final Stock UNKNOWN = new Stock(-1);
    }

    private ReadmeSnippets() {
    }

    static Stock core(MeterRegistry meterRegistry, Inventory inventory, String sku) throws Exception {
        Retry retry = Retry.builder("inventory")
                .maxAttempts(4)
                .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL))
                .retryOn(IOException.class)
                .budget(RetryBudget.ofDefaults())  // share one budget so an outage is not a retry storm
                .build();
        CircuitBreaker breaker = CircuitBreaker.builder("inventory")
                .failureRateThreshold(50)
                .slowCallDuration(Duration.ofSeconds(1))
                .openDuration(Duration.ofSeconds(30))
                .build();
        Policy inventoryPolicy = Resilience.of(
                Fallback.of(Stock.UNKNOWN),         // what callers get once everything below has failed
                Timeout.of(Duration.ofSeconds(5)),  // bounds the whole call
                retry,
                breaker,                            // records every attempt
                Timeout.of(Duration.ofSeconds(2))); // bounds each attempt

        new RetryMetrics(retry).bindTo(meterRegistry);           // optional Micrometer binders
        new CircuitBreakerMetrics(breaker).bindTo(meterRegistry);
        HealthCheck inventoryHealth = breaker.asHealthCheck();

        Stock stock = inventoryPolicy.call(() -> inventory.stock(sku));
        return stock;
    }

    static void pool(String jdbcUrl, String user, char[] password, MeterRegistry registry, BigDecimal total) throws Exception {
        try (ResilientDataSource db = ResilientDataSource.builder()
                .url(jdbcUrl)                       // jdbc:postgresql://db:5432/app
                .username(user)
                .password(password)                 // char[] or () -> secrets.read("db-password")
                .poolName("app")
                .meterRegistry(registry)
                .build()) {
            long id = db.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (total) VALUES (?) RETURNING id")) {
                    ps.setBigDecimal(1, total);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            HealthCheckResult health = db.asHealthCheck().check();
        }
    }

    record Order(long id, long customerId) {
    }

    interface Database {
        Order findOrder(long id) throws java.sql.SQLException;
    }

    static Order cache(String redisUri, ObjectMapper objectMapper, MeterRegistry meterRegistry, HttpServer server,
                       String adminToken, Database database, long id, long customerId) {
        RedisConnection<String, byte[]> redis = RedisCache.connect(RedisConnection.builder().uri(redisUri)
                .commandTimeout(Duration.ofMillis(100)));
        RedisCache<Order> orders = RedisCache.builder("orders", JacksonCodec.of(objectMapper, Order.class))
                .redis(redis)                                   // one connection for all caches
                .ttl(Duration.ofMinutes(10))                    // minus up to 10 % jitter
                .absentTtl(Duration.ofSeconds(30))              // "no such order" is cached too
                .staleIfError(Duration.ofMinutes(5))            // the database is down: serve what we had
                .localTier(10_000, Duration.ofSeconds(2))       // at most 2 s behind another instance's invalidation
                .build();
        new CacheMetrics(orders).bindTo(meterRegistry);
        HealthCheck cacheHealth = orders.asHealthCheck();
        server.createContext("/cache", CacheHttpHandler.withToken(List.of(orders), adminToken));

        Order order = orders.get("order:" + id, key -> database.findOrder(id), "customer:" + customerId);
        orders.invalidateAll("customer:" + customerId);  // every cached order of that customer, on every instance
        return order;
    }

    /** resilience-redis/README.md, "Connecting" (not a root README sample: compiled here all the same). */
    static RedisClusterAsyncCommands<String, String> redisModule(String password) {
        RedisConnection<String, String> redis = RedisConnection.builder()
                .uri("rediss://app:" + password + "@redis.internal:6380")   // or clusterUris("redis://a:6379", "redis://b:6379")
                .trustStore(Path.of("/etc/app/redis-ca.crt"))                // a private CA, PEM; or trustStore(jksFile, password)
                .commandTimeout(Duration.ofMillis(100))
                .build();
        RedisClusterAsyncCommands<String, String> commands = redis.commandsIfConnected(); // null until the first connection
        return commands;
    }

    static void ratelimit(String redisUri, HttpServer server, HttpHandler handler) {
        RedisBackend redis = RedisBackend.create(redisUri);
        RateLimiter api = RedisRateLimiter.builder("api", RateLimitPolicy.of(
                        Limit.slidingWindow("ip15m", 100, Duration.ofMinutes(15)),
                        Limit.slidingWindow("ip1m", 30, Duration.ofMinutes(1))))
                .backend(redis)
                .instances(3)              // while Redis is down each of 3 instances admits a third
                .build();
        RateLimiter login = RedisRateLimiter.builder("login", RateLimitPolicy.of(
                        Limit.slidingWindow("login15m", 5, Duration.ofMinutes(15))))
                .backend(redis).instances(3).build();

        RateLimitRules rules = RateLimitRules.builder()
                .exclude("/health")
                .route("/auth/login", login)
                .route("/api/**", api)
                .keyResolver(ClientIpResolver.builder()       // behind nginx/a load balancer in 10.0.0.0/8
                        .trustedProxies("10.0.0.0/8").proxyHeader(ProxyHeader.xForwardedFor()).build())
                .build();
        server.createContext("/", handler).getFilters().add(new RateLimitHttpFilter(rules));
        // servlet containers: new RateLimitServletFilter(rules)
    }

    static void health(ResilientDataSource db, Path dataDir, PrometheusMeterRegistry meters, String opsToken, HttpServer server,
                       HttpHandler api) {
        HealthRegistry health = HealthRegistry.builder()
                .check("database", db.asHealthCheck())
                .check("disk", HealthChecks.diskSpace(dataDir), CheckOptions.defaults().withCritical(false))
                .build();
        RequestMetrics requests = RequestMetrics.builder(meters).routes("/api/orders/{id}").build();
        HealthEndpoints endpoints = HealthEndpoints.builder(health)
                .prometheus(meters)
                .sensitiveAccess(EndpointAccess.token(opsToken))   // /health/detailed stays off without it
                .build();
        HealthHttpHandler.mount(server, endpoints);                // /health, /health/live, /health/ready, /metrics, /alerts
        server.createContext("/api", api).getFilters().add(new RequestMetricsFilter(requests));

        GracefulShutdown.builder().health(health).requests(requests)
                .resource("http server", () -> server.stop(1))
                .build()
                .installShutdownHook();
    }

    static HealthCheck backup(Path backups, MeterRegistry registry) {
        PostgresBackup backup = PostgresBackup.builder()
                .host("127.0.0.1").port(5432).database("orders").user("backup")
                .password(() -> System.getenv().getOrDefault("ORDERS_DB_PASSWORD", "").toCharArray())
                .store(LocalDirectoryStore.of(backups))
                .auditLog(backups.resolve("audit.jsonl"))
                .retention(BackupRetention.of(7, 4, 12, ZoneId.of("Europe/Berlin")))
                .listener(BackupMetrics.bindTo(registry, "orders"))
                .build();
        BackupScheduler schedule = BackupScheduler.builder(backup)
                .zone(ZoneId.of("Europe/Berlin"))      // backup 02:00 daily, restore drill Sunday 03:00, prune after backup
                .drillTables("orders", "customers")
                .build();
        HealthCheck backupHealth = backup.asHealthCheck(); // DOWN when the newest good backup is older than 26 h
        return backupHealth;
    }

    static void send(String payload) {
        // the task's work: call the partner, write the e-mail, ...
    }

    static void queue(javax.sql.DataSource dataSource, long orderId) throws java.sql.SQLException {
        TaskQueue queue = TaskQueue.builder(dataSource)             // any pool: HikariCP, resilience-pool, ...
                .handler("order.paid", task -> send(task.payloadAsString()),
                        TaskPolicy.builder()
                                .maxAttempts(8)                     // then the dead letter queue
                                .backoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofMinutes(10)))
                                .build())
                .build();
        queue.start();                                              // creates and migrates its schema

        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            // ... INSERT the order ...
            queue.enqueue(c, Task.json("order.paid", "{\"order\":" + orderId + "}")
                    .idempotencyKey("order-" + orderId + "-paid")  // enqueueing twice is a no-op
                    .build());
            c.commit();
        }
    }
}
