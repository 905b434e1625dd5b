package dev.resilience.examples;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.resilience.cache.RedisCache;
import dev.resilience.cache.jackson.JacksonCodec;
import dev.resilience.examples.auth.DemoUsers;
import dev.resilience.examples.auth.LoginEndpoint;
import dev.resilience.examples.backups.Backups;
import dev.resilience.examples.backups.BackupsEndpoint;
import dev.resilience.examples.http.AdminAccess;
import dev.resilience.examples.http.Json;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.orders.Order;
import dev.resilience.examples.orders.OrderRepository;
import dev.resilience.examples.orders.OrdersEndpoint;
import dev.resilience.examples.ratelimit.RateLimiting;
import dev.resilience.examples.upstream.BreakersEndpoint;
import dev.resilience.examples.upstream.FlakyUpstream;
import dev.resilience.examples.upstream.QuoteClient;
import dev.resilience.examples.upstream.QuoteEndpoint;
import dev.resilience.examples.webhooks.OrderWebhooks;
import dev.resilience.health.CheckOptions;
import dev.resilience.health.GracefulShutdown;
import dev.resilience.health.HealthChecks;
import dev.resilience.health.HealthEndpoints;
import dev.resilience.health.HealthHttpHandler;
import dev.resilience.health.HealthRegistry;
import dev.resilience.health.SecurityHeaders;
import dev.resilience.health.SecurityHeadersFilter;
import dev.resilience.pool.ResilientDataSource;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * The example service: a plain JDK {@link HttpServer} wiring every resilience module. {@link #main}
 * reads {@link ServiceConfig} from the environment; tests call {@link #start(ServiceConfig)}.
 *
 * <p>Thread-safe. {@link #close()} shuts down gracefully (readiness DOWN, drain, refuse new requests,
 * wait for in-flight ones, close everything in reverse order) and is idempotent.
 */
public final class ExampleService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExampleService.class);

    /**
     * Security headers for a JSON API, on every answer (errors, 429s and operator endpoints included):
     * the library's defaults with a Content-Security-Policy that lets nothing load or frame a response,
     * since no answer is a page. HSTS goes only on HTTPS answers, so never from this plain-HTTP server:
     * the proxy that terminates TLS in front of it sends it.
     */
    static final SecurityHeaders SECURITY_HEADERS = SecurityHeaders.builder()
            .contentSecurityPolicy("default-src 'none'; frame-ancestors 'none'")
            .build();
    private static final Filter SECURITY_HEADERS_FILTER = new SecurityHeadersFilter(SECURITY_HEADERS);

    private final ServiceConfig config;
    /** What has started, in start order; closed in reverse. */
    private final List<Map.Entry<String, AutoCloseable>> started = new ArrayList<>();
    private final List<String> uses = new ArrayList<>();
    private GracefulShutdown shutdown;
    private final CountDownLatch drainSkipped = new CountDownLatch(1);
    private volatile boolean drainOver;
    private URI baseUri;

    private ExampleService(ServiceConfig config) {
        this.config = config;
    }

    /** Starts the service from the environment and stops it gracefully on SIGTERM, SIGINT (Ctrl-C) or SIGHUP. */
    public static void main(String[] args) {
        warnWithoutLoggingBackend();
        ExampleService service;
        try {
            service = start(ServiceConfig.fromEnv(System.getenv()));
        } catch (IllegalArgumentException e) {
            // a value the service was given cannot be used: one line saying which and how to fix it
            log.error("Bad configuration: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("The service could not start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        // before the start line: whoever acts on it (a test, an operator) may signal at once
        ShutdownSignals.install(service);
        service.announce();
    }

    /**
     * Without an SLF4J backend on the class path SLF4J drops every line, the library's alerts and
     * shutdown steps included, after one easily missed notice: say so plainly on standard error.
     */
    private static void warnWithoutLoggingBackend() {
        if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory) {
            System.err.println("resilience-example: WARNING: no SLF4J backend is bound, so every log line of the service and"
                    + " of the library (alerts, health changes, shutdown steps) is dropped. Put one on the class path:"
                    + " slf4j-simple, Logback or log4j-slf4j2-impl.");
        }
    }

    /**
     * Starts every part of the service and begins serving.
     *
     * @throws IllegalArgumentException naming the variable when a configured value cannot be used (the
     *     port is taken, the backup schedule is not cron); what already started is stopped again
     * @throws Exception when a part cannot start; what already started is stopped again
     */
    public static ExampleService start(ServiceConfig config) throws Exception {
        tuneJdkHttpServer();
        ExampleService service = new ExampleService(config);
        try {
            service.startParts();
            return service;
        } catch (Exception | Error e) {
            service.closeStarted();
            throw e;
        }
    }

    private void startParts() throws Exception {
        Files.createDirectories(config.backupDir());
        Observability observability = new Observability();
        DatabaseConfig database = database();
        ResilientDataSource db = ResilientDataSource.builder()
                .url(database.jdbcUrl())
                .username(database.user())
                .password(database.password().toCharArray())
                .poolName("orders")
                .maximumPoolSize(config.dbPoolSize())
                .connectionTimeout(config.dbAcquireTimeout())
                .minimumIdle(Math.min(5, config.dbPoolSize()))
                .meterRegistry(observability.meters)
                .build();
        started("database pool", db);
        // order webhooks: enqueued in the order's transaction, sent through the durable queue (closed before the pool)
        Optional<OrderWebhooks> webhooks = config.webhook().map(target -> OrderWebhooks.start(db, target, observability.meters));
        webhooks.ifPresent(w -> started("order webhooks", w));
        uses.add("order webhooks: " + config.webhook().map(Object::toString).orElse("off (set WEBHOOK_URL)"));
        OrderRepository orders = webhooks.map(w -> new OrderRepository(db, w::orderCreated)).orElseGet(() -> new OrderRepository(db));
        orders.createSchema();

        Backups backups = Backups.start(database, config.backupDir(), config.backupSchedule(), config.pgBin(),
                config.backupEncryptionKey(), observability.meters);
        started("backups", backups);
        uses.add("backups: " + backups.describe());

        // order reads cached in Redis (shared by every instance) when REDIS_URI is set; orders never change once created
        RedisCache<Order> orderCache = config.redisUri().map(uri -> RedisCache.builder("orders", JacksonCodec.of(
                        new ObjectMapper().registerModule(new JavaTimeModule()), Order.class))
                .redisUri(uri).keyPrefix(config.redisKeyPrefix() + "cache:").ttl(Duration.ofMinutes(10)).build()).orElse(null);
        if (orderCache != null) {
            started("order cache", orderCache);
            uses.add("order cache: Redis at " + orderCache.config().redis());
        }

        RateLimiting rateLimiting = new RateLimiting(config);
        started("rate limiting", rateLimiting);
        uses.add("rate limits: " + rateLimiting.describe());

        ExecutorService handlers = Executors.newFixedThreadPool(config.httpThreads(), namedThreads("http-"));
        started("request handlers", () -> stop(handlers));
        HttpServer server = listen();
        server.setExecutor(handlers);
        started("http server", () -> server.stop(0));
        baseUri = URI.create("http://" + hostForUrl(config.bindAddress()) + ":" + server.getAddress().getPort());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI upstream = config.upstreamUrl().orElse(baseUri.resolve(FlakyUpstream.PATH));
        QuoteClient quotes = new QuoteClient(http, upstream, config.upstreamTimeout().multipliedBy(2));
        QuoteEndpoint quoteEndpoint = new QuoteEndpoint(quotes, config.upstreamTimeout(), observability.meters);
        uses.add("upstream: " + (config.upstreamUrl().isPresent() ? "external " : "in-process ") + upstream);

        HealthRegistry.Builder checks = HealthRegistry.builder();
        webhooks.ifPresent(w -> checks.check("webhooks", w.asHealthCheck(), optional("webhooks")));
        if (orderCache != null) {
            checks.check("order-cache", orderCache.asHealthCheck(), optional("order-cache"));
        }
        HealthRegistry health = checks
                .check("database", db.asHealthCheck())
                .check("rate-limiter", rateLimiting.asHealthCheck(), optional("rate-limiter"))
                .check("upstream", quoteEndpoint.breaker().asHealthCheck(), optional("upstream"))
                .check("backups", backups.asHealthCheck(), optional("backups"))
                .check("disk", HealthChecks.diskSpace(config.backupDir()), optional("system"))
                .check("heap", HealthChecks.heap(), optional(HealthRegistry.LIVENESS))
                .build();
        started("health checks", health);
        HealthEndpoints operatorEndpoints = observability.start(health, "database", config.backupDir(), config.adminToken());
        // registered last, so its alerts stop first, before the parts they watch; the database closes last
        started("observability", observability);

        List<Filter> common = config.middleware() ? List.of(observability.requestFilter, rateLimiting.filter()) : List.of();
        route(server, OrdersEndpoint.PATH, JsonEndpoint.handler(new OrdersEndpoint(orders, orderCache)), common);
        route(server, QuoteEndpoint.PATH, JsonEndpoint.handler(quoteEndpoint), common);
        route(server, BreakersEndpoint.PATH, JsonEndpoint.handler(new BreakersEndpoint(List.of(quoteEndpoint.breaker()))), common);
        route(server, LoginEndpoint.PATH, JsonEndpoint.handler(new LoginEndpoint(new DemoUsers(), rateLimiting.loginProtection(),
                rateLimiting::clientAddress)), common);
        route(server, FlakyUpstream.PATH, JsonEndpoint.handler(new FlakyUpstream()), common);
        List<Filter> admin = new ArrayList<>(common);
        admin.add(new AdminAccess(config.adminToken()));
        route(server, BackupsEndpoint.PATH, JsonEndpoint.handler(new BackupsEndpoint(backups)), admin);
        route(server, "/admin/queue", webhooks.map(OrderWebhooks::adminHandler).orElse(ExampleService::webhooksOff), admin);
        // behind the same guard as /admin, so its answers speak of ADMIN_TOKEN rather than of the library's API
        route(server, "/health/detailed", new HealthHttpHandler(operatorEndpoints), admin);
        // everything else, /health, /metrics and /alerts included, is answered by resilience-health
        route(server, "/", new HealthHttpHandler(operatorEndpoints), common);
        server.start();

        GracefulShutdown.Builder shutdownSteps = GracefulShutdown.builder()
                .health(health)
                .requests(observability.requests)
                .drainDelay(config.shutdownDrain())
                .sleeper(this::drain)
                .timeout(config.shutdownGrace());
        // closed in reverse: the server (after the drain) before the pool, the database last
        started.forEach(part -> shutdownSteps.resource(part.getKey(), part.getValue()));
        shutdown = shutdownSteps.build();
    }

    /** Logs the one line saying where the service listens and what it uses. */
    void announce() {
        log.info("resilience-example listening on {} ({}, admin endpoints {}, middleware {})", baseUri, String.join(", ", uses),
                config.adminToken().isPresent() ? "on" : "off (set ADMIN_TOKEN)", config.middleware() ? "on" : "OFF");
    }

    private HttpServer listen() throws IOException {
        try {
            return HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
        } catch (BindException e) {
            throw new IllegalArgumentException("PORT " + config.port() + " on " + config.bindAddress() + " is already in use ("
                    + e.getMessage() + "): stop what listens there or set PORT to another port (PORT=0 picks a free one)");
        }
    }

    /**
     * The JDK server's defaults suit tests, not traffic: Nagle's algorithm is on, so every keep-alive
     * answer written in two parts waits for the client's delayed ACK (about 40 ms each), and only 200
     * idle keep-alive connections are kept, so with more clients the server closes connections after
     * each answer. Read once, when the first server is created; {@code -D} on the command line wins.
     */
    private static void tuneJdkHttpServer() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
        }
    }

    private static void webhooksOff(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().close();
        Json.send(exchange, 404,
                Map.of("error", "order webhooks are off: start the service with WEBHOOK_URL and WEBHOOK_SECRET set"));
    }

    /** A check that degrades the service when it fails instead of taking it down, in its own group. */
    private static CheckOptions optional(String group) {
        return CheckOptions.defaults().withCritical(false).withGroups(group);
    }

    private DatabaseConfig database() throws Exception {
        if (config.database().isPresent()) {
            DatabaseConfig database = config.database().get();
            uses.add("postgres: external " + database);
            return database;
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.start();
        started("embedded postgres", embedded);
        DatabaseConfig database = embedded.config();
        uses.add("postgres: embedded PostgreSQL 15 on port " + database.port() + " (data discarded at exit)");
        return database;
    }

    private void started(String name, AutoCloseable part) {
        started.add(Map.entry(name, part));
    }

    private static void route(HttpServer server, String path, HttpHandler handler, List<Filter> filters) {
        HttpContext context = server.createContext(path, handler);
        // first, so it also covers the answers the other filters give themselves (429, 401)
        context.getFilters().add(SECURITY_HEADERS_FILTER);
        context.getFilters().addAll(filters);
    }

    /** The URL the service answers on, for example {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Shuts down gracefully: readiness DOWN, waits {@code SHUTDOWN_DRAIN}, refuses new requests (503),
     * waits up to {@code SHUTDOWN_GRACE} for in-flight ones, then closes everything in reverse start
     * order. Blocks until done; later calls return at once.
     */
    @Override
    public void close() {
        shutdown.shutdown();
    }

    /** Waits out the drain, or less once {@link #skipDrain()} is called. */
    private void drain(Duration delay) throws InterruptedException {
        try {
            drainSkipped.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            drainOver = true;
        }
    }

    /**
     * Ends the shutdown's drain now (or skips it when it has not begun): new requests are refused at
     * once; requests in flight still get {@code SHUTDOWN_GRACE}.
     *
     * @return whether the drain was still running or to come
     */
    boolean skipDrain() {
        boolean cut = !drainOver; // read first: counting down ends the drain
        drainSkipped.countDown();
        return cut;
    }

    private void closeStarted() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).getValue().close();
            } catch (Exception e) {
                log.warn("Stopping {} failed: {}", started.get(i).getKey(), e.toString());
            }
        }
    }

    private static void stop(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static ThreadFactory namedThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String hostForUrl(String bindAddress) {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? "localhost" : bindAddress;
    }
}
