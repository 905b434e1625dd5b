package dev.resilience.examples;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.examples.auth.DemoUsers;
import dev.resilience.examples.auth.LoginEndpoint;
import dev.resilience.examples.http.JsonEndpoint;
import dev.resilience.examples.orders.OrderRepository;
import dev.resilience.examples.orders.OrdersEndpoint;
import dev.resilience.examples.upstream.FlakyUpstream;
import dev.resilience.examples.upstream.QuoteClient;
import dev.resilience.examples.upstream.QuoteEndpoint;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example service: a plain JDK {@link HttpServer} wiring every resilience module. {@link #main}
 * reads {@link ServiceConfig} from the environment; tests call {@link #start(ServiceConfig)}.
 *
 * <p>Thread-safe. {@link #close()} shuts down gracefully and is idempotent.
 */
public final class ExampleService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExampleService.class);

    private final ServiceConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private HttpServer server;
    private URI baseUri;

    private ExampleService(ServiceConfig config) {
        this.config = config;
    }

    /** Starts the service from the environment and stops it on Ctrl-C or SIGTERM. */
    public static void main(String[] args) {
        ServiceConfig config;
        try {
            config = ServiceConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("Bad configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        try {
            ExampleService service = start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(service::close, "graceful-shutdown"));
        } catch (Exception e) {
            log.error("The service could not start", e);
            System.exit(1);
        }
    }

    /**
     * Starts every part of the service and begins serving.
     *
     * @throws Exception when a part cannot start; what already started is stopped again
     */
    public static ExampleService start(ServiceConfig config) throws Exception {
        ExampleService service = new ExampleService(config);
        try {
            service.startParts();
            return service;
        } catch (Exception | Error e) {
            service.close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        String databaseSource;
        DatabaseConfig database;
        if (config.database().isPresent()) {
            database = config.database().get();
            databaseSource = "external " + database;
        } else {
            EmbeddedDatabase embedded = EmbeddedDatabase.start();
            resources.push(embedded);
            database = embedded.config();
            databaseSource = "embedded PostgreSQL 15 on port " + database.port();
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.user());
        dataSource.setPassword(database.password());
        OrderRepository orders = new OrderRepository(dataSource);
        orders.createSchema();

        ExecutorService handlers = Executors.newFixedThreadPool(config.httpThreads(), namedThreads("http-"));
        resources.push(() -> shutdown(handlers));
        server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 1024);
        server.setExecutor(handlers);
        baseUri = URI.create("http://" + hostForUrl(config.bindAddress()) + ":" + server.getAddress().getPort());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI upstream = config.upstreamUrl().orElse(baseUri.resolve(FlakyUpstream.PATH));
        QuoteClient quotes = new QuoteClient(http, upstream, config.upstreamTimeout().multipliedBy(2));

        server.createContext(OrdersEndpoint.PATH, JsonEndpoint.handler(new OrdersEndpoint(orders)));
        server.createContext(QuoteEndpoint.PATH, JsonEndpoint.handler(new QuoteEndpoint(quotes)));
        server.createContext(LoginEndpoint.PATH, JsonEndpoint.handler(new LoginEndpoint(new DemoUsers())));
        server.createContext(FlakyUpstream.PATH, JsonEndpoint.handler(new FlakyUpstream()));
        server.start();
        log.info("resilience-example listening on {} (postgres: {}, upstream: {})", baseUri, databaseSource,
                config.upstreamUrl().isPresent() ? "external " + upstream : "in-process " + upstream);
    }

    /** The URL the service answers on, for example {@code http://127.0.0.1:8080}. */
    public URI baseUri() {
        return baseUri;
    }

    /**
     * Stops taking new requests, lets in-flight ones finish within the configured grace period, then
     * releases everything in the reverse order of start.
     */
    @Override
    public synchronized void close() {
        if (server != null) {
            log.info("Shutting down: no new requests, waiting up to {} for in-flight ones", config.shutdownGrace());
            server.stop((int) Math.max(1, config.shutdownGrace().toSeconds()));
            server = null;
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                log.warn("Stopping a part of the service failed", e);
            }
        }
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory namedThreads(String prefix) {
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
