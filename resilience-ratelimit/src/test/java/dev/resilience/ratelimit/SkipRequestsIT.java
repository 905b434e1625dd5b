package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Routes that give back the permits of successful or failed responses ({@link RateLimitRules.Skip}),
 * over real HTTP in the JDK HttpServer and in Jetty. The handler answers the status named by the
 * {@code status} query parameter (200 without one); while {@link #gate} is closed it waits, counting the
 * requests it is running at once.
 */
class SkipRequestsIT {

    enum Container { JDK_HTTP_SERVER, JETTY_SERVLET }

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private RateLimiter login;

    private RateLimitRules rules(int limit, RateLimitRules.Skip skip) {
        login = InMemoryRateLimiter.builder("login", RateLimitPolicy.of(Limit.fixedWindow("login15m", limit, Duration.ofMinutes(15)))).build();
        return RateLimitRules.builder().route("/auth/login", login, skip).build();
    }

    /**
     * Waits until the client has {@code remaining} permits: a refund lands just after the response (the
     * status is known only once the handler answered), so the client may see the response first.
     */
    private void awaitRemaining(long remaining) {
        await().atMost(Duration.ofSeconds(30)).until(() -> login.tryAcquire("ip:127.0.0.1", 0).remaining() == remaining);
    }

    private int handle(String status) throws InterruptedException {
        int now = running.incrementAndGet();
        mostRunning.accumulateAndGet(now, Math::max);
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } finally {
            running.decrementAndGet();
        }
        return status == null ? 200 : Integer.parseInt(status);
    }

    private AutoCloseable start(Container container, RateLimitRules rules, String[] base) throws Exception {
        if (container == Container.JDK_HTTP_SERVER) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService threads = Executors.newCachedThreadPool();
            server.setExecutor(threads);
            server.createContext("/auth/login", exchange -> {
                String query = exchange.getRequestURI().getQuery();
                try {
                    exchange.sendResponseHeaders(handle(query == null ? null : query.substring("status=".length())), -1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(500, -1);
                }
                exchange.close();
            }).getFilters().add(new RateLimitHttpFilter(rules));
            server.start();
            base[0] = "http://127.0.0.1:" + server.getAddress().getPort();
            return () -> {
                server.stop(0);
                threads.shutdownNow();
            };
        }
        return jetty(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                try {
                    resp.setStatus(handle(req.getParameter("status")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    resp.setStatus(500);
                }
            }
        }, rules, base);
    }

    /** Jetty with {@code servlet} on {@code /auth/login/*} behind the filter (both allowed to go asynchronous). */
    private static AutoCloseable jetty(HttpServlet servlet, RateLimitRules rules, String[] base) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/auth/login/*");
        FilterHolder filter = new FilterHolder(new RateLimitServletFilter(rules));
        filter.setAsyncSupported(true);
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        base[0] = "http://127.0.0.1:" + connector.getLocalPort();
        return server::stop;
    }

    private int status(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void skipSuccessfulCountsOnlyFailuresAndStillLimitsAtTheLimit(Container container) throws Exception {
        String[] base = new String[1];
        try (AutoCloseable server = start(container, rules(3, RateLimitRules.Skip.SUCCESSFUL), base)) {
            String uri = base[0] + "/auth/login";
            for (int i = 0; i < 5; i++) {
                assertThat(status(uri)).as("success %d", i + 1).isEqualTo(200);
            }
            awaitRemaining(3);
            for (int i = 0; i < 3; i++) {
                assertThat(status(uri + "?status=401")).as("failure %d", i + 1).isEqualTo(401);
            }

            assertThat(status(uri + "?status=401")).isEqualTo(429);
            assertThat(status(uri)).isEqualTo(429); // limited: a success cannot be tried either
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void skipFailedCountsOnlySuccesses(Container container) throws Exception {
        String[] base = new String[1];
        try (AutoCloseable server = start(container, rules(2, RateLimitRules.Skip.FAILED), base)) {
            String uri = base[0] + "/auth/login";
            assertThat(status(uri + "?status=404")).isEqualTo(404);
            assertThat(status(uri + "?status=500")).isEqualTo(500);
            assertThat(status(uri + "?status=400")).isEqualTo(400);
            assertThat(status(uri)).isEqualTo(200);
            assertThat(status(uri + "?status=302")).isEqualTo(302);
            awaitRemaining(0);

            assertThat(status(uri)).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void withoutSkipEveryResponseCounts(Container container) throws Exception {
        String[] base = new String[1];
        try (AutoCloseable server = start(container, rules(2, RateLimitRules.Skip.NONE), base)) {
            String uri = base[0] + "/auth/login";
            assertThat(status(uri)).isEqualTo(200);
            assertThat(status(uri + "?status=401")).isEqualTo(401);

            assertThat(status(uri)).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void concurrentRequestsNeverExceedTheLimitWhileTheirHandlersRun(Container container) throws Exception {
        String[] base = new String[1];
        try (AutoCloseable server = start(container, rules(3, RateLimitRules.Skip.SUCCESSFUL), base)) {
            String uri = base[0] + "/auth/login";
            for (int round = 0; round < 2; round++) {
                gate = new CountDownLatch(1);
                List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    responses.add(client.sendAsync(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.discarding()));
                }
                // the handlers hold their permits until the gate opens: 3 run, the other 9 are refused meanwhile
                await().atMost(Duration.ofSeconds(30)).until(() -> responses.stream().filter(CompletableFuture::isDone).count() == 9);
                assertThat(running.get()).isEqualTo(3);
                gate.countDown();

                assertThat(responses.stream().map(r -> r.join().statusCode()).filter(s -> s == 200).count()).as("round %d", round).isEqualTo(3);
                assertThat(responses.stream().map(r -> r.join().statusCode()).filter(s -> s == 429).count()).isEqualTo(9);
                awaitRemaining(3); // the 3 successes gave their permits back once answered: the next round gets 3 again
            }
            assertThat(mostRunning.get()).isEqualTo(3);
        }
    }

    @Test
    void anAsynchronousServletIsJudgedByTheStatusItAnswersLater() throws Exception {
        HttpServlet asynchronous = new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                jakarta.servlet.AsyncContext async = req.startAsync();
                async.start(() -> { // answers after the filter chain returned with the default status 200
                    ((HttpServletResponse) async.getResponse()).setStatus(401);
                    async.complete();
                });
            }
        };
        String[] base = new String[1];
        try (AutoCloseable server = jetty(asynchronous, rules(1, RateLimitRules.Skip.SUCCESSFUL), base)) {
            String uri = base[0] + "/auth/login";
            assertThat(status(uri)).isEqualTo(401);
            awaitRemaining(0); // the failure counts, though the status was 200 when the filter chain returned

            assertThat(status(uri)).isEqualTo(429);
        }
    }
}
