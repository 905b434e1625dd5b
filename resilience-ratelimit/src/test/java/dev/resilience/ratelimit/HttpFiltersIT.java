package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.core.CircuitBreaker;
import dev.resilience.testkit.TestServices;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The filters over real HTTP, in the JDK HttpServer and in Jetty's servlet container. */
class HttpFiltersIT {

    private final HttpClient client = HttpClient.newHttpClient();

    enum Container { JDK_HTTP_SERVER, JETTY_SERVLET }

    private static RateLimitRules rules(KeyResolver keys) {
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).build();
        RateLimiter login = InMemoryRateLimiter.builder("login", RateLimitPolicy.of(Limit.slidingWindow("login15m", 2, Duration.ofMinutes(15)))).build();
        return RateLimitRules.builder().exclude("/health").route("/auth/login", login).route("/api/**", api).keyResolver(keys).build();
    }

    /** Starts a server with the filter in front of a handler answering 200 "ok"; returns its base URI. */
    private static AutoCloseableServer start(Container container, RateLimitRules rules) throws Exception {
        return start(container, rules, "/");
    }

    /**
     * Starts a server with a handler per mount, each behind the filter: a JDK context (which serves every
     * path starting with that string), or a servlet mapped to {@code <mount>/*}. Each answers 200 with its
     * mount as body, "ok" for "/".
     */
    private static AutoCloseableServer start(Container container, RateLimitRules rules, String... mounts) throws Exception {
        if (container == Container.JDK_HTTP_SERVER) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            for (String mount : mounts) {
                server.createContext(mount, exchange -> {
                    byte[] body = (mount.equals("/") ? "ok" : mount).getBytes();
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                }).getFilters().add(new RateLimitHttpFilter(rules));
            }
            server.start();
            return new AutoCloseableServer("http://127.0.0.1:" + server.getAddress().getPort(), () -> server.stop(0));
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        for (String mount : mounts) {
            context.addServlet(new ServletHolder(new HttpServlet() {
                @Override
                protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                    resp.getWriter().write(mount.equals("/") ? "ok" : mount);
                }
            }), mount.equals("/") ? "/*" : mount + "/*");
        }
        context.addFilter(new FilterHolder(new RateLimitServletFilter(rules)), "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.start();
        return new AutoCloseableServer("http://127.0.0.1:" + connector.getLocalPort(), server::stop);
    }

    private HttpResponse<String> get(String uri, Function<HttpRequest.Builder, HttpRequest.Builder> headers) throws Exception {
        return client.send(headers.apply(HttpRequest.newBuilder(URI.create(uri))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void admittedResponsesCarryTheDraftHeaders(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(KeyResolver.clientIp()))) {
            HttpResponse<String> response = get(server.base + "/api/items", b -> b);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"ip15m\";q=100;w=900");
            assertThat(response.headers().firstValue("RateLimit").orElseThrow()).matches("\"ip15m\";r=99;t=\\d+");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void rejectedRequestsGet429WithRetryAfterAndAProblemBody(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(KeyResolver.clientIp()))) {
            get(server.base + "/auth/login", b -> b);
            get(server.base + "/auth/login", b -> b);

            HttpResponse<String> response = get(server.base + "/auth/login", b -> b);

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 1350L); // up to 1.5 windows: the rest of this epoch-aligned window, then half the next while the previous one weighs in
            assertThat(response.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"login15m\";r=0;t=");
            assertThat(response.body()).contains("\"status\":429", "\"title\":\"Too Many Requests\"", "\"limit\":\"login15m\"");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void duringTheRedisFallbackBothHeadersDescribeTheLocalShare(Container container) throws Exception {
        // Redis is down (nothing listens there) and the breaker is open: the fallback holds a quarter of 100
        CircuitBreaker breaker = CircuitBreaker.builder("api.redis").build();
        breaker.transitionTo(CircuitBreaker.State.FORCED_OPEN);
        try (RedisBackend redis = RedisBackend.builder().uri("redis://127.0.0.1:" + TestServices.freeLoopbackPort())
                     .connectTimeout(Duration.ofMillis(200)).build();
             RedisRateLimiter api = RedisRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15))))
                     .backend(redis).instances(4).circuitBreaker(breaker).build();
             AutoCloseableServer server = start(container, RateLimitRules.builder().route("/api/**", api).build())) {
            HttpResponse<String> response = get(server.base + "/api/items", b -> b);

            assertThat(api.fallbackActive()).isTrue();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("RateLimit-Policy")).hasValue("\"ip15m\";q=25;w=900");
            assertThat(response.headers().firstValue("RateLimit").orElseThrow()).matches("\"ip15m\";r=24;t=\\d+");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void excludedPathsAreNeverLimited(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(KeyResolver.clientIp()))) {
            HttpResponse<String> response = get(server.base + "/health", b -> b);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("RateLimit")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void spoofedForwardedForFromAnUntrustedClientDoesNotChangeTheKey(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(ClientIpResolver.builder().trustedProxies("10.0.0.0/8").proxyHeader(ProxyHeader.xForwardedFor()).build()))) {
            get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.1"));
            get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.2"));

            HttpResponse<String> third = get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.3"));

            assertThat(third.statusCode()).isEqualTo(429);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void forwardedForFromATrustedProxyNamesTheClient(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(behindLocalProxy(ProxyHeader.xForwardedFor())))) {
            get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.1"));
            get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.1"));

            HttpResponse<String> sameClient = get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.1"));
            HttpResponse<String> otherClient = get(server.base + "/auth/login", b -> b.header("X-Forwarded-For", "198.51.100.2"));

            assertThat(sameClient.statusCode()).isEqualTo(429);
            assertThat(otherClient.statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aRequestCostsWhatTheCostFunctionSays(Container container) throws Exception {
        RateLimiter api = InMemoryRateLimiter.builder("api", RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).build();
        RateLimitRules rules = RateLimitRules.builder().route("/api/**", api)
                .cost(request -> request.header("X-Batch-Size") == null ? 1 : Integer.parseInt(request.header("X-Batch-Size"))).build();
        try (AutoCloseableServer server = start(container, rules)) {
            HttpResponse<String> batch = get(server.base + "/api/items", b -> b.header("X-Batch-Size", "60"));
            HttpResponse<String> another = get(server.base + "/api/items", b -> b.header("X-Batch-Size", "60"));
            HttpResponse<String> single = get(server.base + "/api/items", b -> b);

            assertThat(batch.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"ip15m\";r=40;");
            assertThat(another.statusCode()).isEqualTo(429);
            assertThat(single.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"ip15m\";r=39;");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void denyListedClientsGet403AndAllowListedOnesAreNeverLimited(Container container) throws Exception {
        RateLimiter login = InMemoryRateLimiter.builder("login", RateLimitPolicy.of(Limit.fixedWindow("login15m", 2, Duration.ofMinutes(15)))).build();
        RateLimitRules denying = RateLimitRules.builder().route("/auth/login", login).denyAddresses("127.0.0.0/8").build();
        RateLimitRules allowing = RateLimitRules.builder().route("/auth/login", login).allowAddresses("127.0.0.1", "::1").build();
        try (AutoCloseableServer denied = start(container, denying); AutoCloseableServer allowed = start(container, allowing)) {
            HttpResponse<String> refused = get(denied.base + "/auth/login", b -> b);
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < 5; i++) {
                statuses.merge(get(allowed.base + "/auth/login", b -> b).statusCode(), 1, Integer::sum);
            }

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).contains("\"status\":403");
            assertThat(statuses).containsExactly(Map.entry(200, 5));
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void noSpellingOfTheLoginPathReachesAHandlerBeyondTheLimit(Container container) throws Exception {
        // a login handler mounted on /auth/login and another for everything else; a rule on /auth/login only
        try (AutoCloseableServer server = start(container, rules(KeyResolver.clientIp()), "/auth/login", "/")) {
            Map<String, Integer> outcomes = new TreeMap<>();
            for (String spelling : List.of("/auth/login;a=b", "/auth/login/x", "/auth/loginx", "/auth//login", "/auth/./login",
                    "/auth/%6Cogin", "/auth/login%2Fx", "/x/../auth/login", "/auth/login/", "/auth/login;a=b/x", "/auth/login")) {
                HttpResponse<String> response = get(server.base + spelling, b -> b);
                String outcome = response.statusCode() == 200 ? "served by " + response.body() : Integer.toString(response.statusCode());
                outcomes.merge(outcome, 1, Integer::sum);
            }

            // the login handler served 2 in all; the rest were refused by the limiter (429) or by the server as
            // ambiguous (400), or served by the other handler when the server does not route them to the login one
            assertThat(outcomes.get("served by /auth/login")).as(outcomes.toString()).isEqualTo(2);
            assertThat(outcomes.keySet()).as(outcomes.toString()).isSubsetOf("served by /auth/login", "served by ok", "400", "429");
        }
    }

    /** The test client plays the trusted proxy: it connects from 127.0.0.1 and writes the header. */
    private static ClientIpResolver behindLocalProxy(ProxyHeader header) {
        return ClientIpResolver.builder().trustedProxies("127.0.0.1", "::1").proxyHeader(header).build();
    }

    /** How many of 20 requests to /auth/login, the n-th (1 to 20) with {@code headers(n)}, were admitted. */
    private int admittedOf20(AutoCloseableServer server, IntFunction<String[]> headers) throws Exception {
        int admitted = 0;
        for (int n = 1; n <= 20; n++) {
            String[] nameValues = headers.apply(n);
            if (get(server.base + "/auth/login", b -> b.headers(nameValues)).statusCode() == 200) {
                admitted++;
            }
        }
        return admitted;
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientRotatingForwardedGetsNoExtraRequestsBehindAnXForwardedForProxy(Container container) throws Exception {
        // nginx appends the client's address to X-Forwarded-For and passes the client's Forwarded header on untouched
        try (AutoCloseableServer server = start(container, rules(behindLocalProxy(ProxyHeader.xForwardedFor())))) {
            int admitted = admittedOf20(server, n -> new String[] {"Forwarded", "for=198.51.100." + n, "X-Forwarded-For", "203.0.113.9"});

            assertThat(admitted).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientPrependingSpoofedForwardedForEntriesGetsNoExtraRequests(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(behindLocalProxy(ProxyHeader.xForwardedFor())))) {
            // the client sent "X-Forwarded-For: 198.51.100.n, 10.0.0.n"; the proxy appended the address it saw
            int admitted = admittedOf20(server, n -> new String[] {"X-Forwarded-For", "198.51.100." + n + ", 10.0.0." + n + ", 203.0.113.9"});

            assertThat(admitted).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aClientRotatingXForwardedForGetsNoExtraRequestsBehindAForwardedProxy(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(behindLocalProxy(ProxyHeader.forwarded())))) {
            int admitted = admittedOf20(server, n -> new String[] {"X-Forwarded-For", "198.51.100." + n,
                    "Forwarded", "for=\"198.51.100." + n + ", for=7.7.7." + n + "\", for=203.0.113.9"});

            assertThat(admitted).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void malformedHeadersAreCountedUnderTheProxyNeitherAdmittedNorDropped(Container container) throws Exception {
        try (AutoCloseableServer server = start(container, rules(behindLocalProxy(ProxyHeader.singleValue("X-Real-IP"))))) {
            HttpResponse<String> first = get(server.base + "/auth/login", b -> b.header("X-Real-IP", "not-an-ip"));
            HttpResponse<String> second = get(server.base + "/auth/login", b -> b.header("X-Real-IP", "1.1.1.1, 2.2.2.2"));
            HttpResponse<String> third = get(server.base + "/auth/login", b -> b.header("X-Real-IP", "3.3.3.3, 4.4.4.4"));
            HttpResponse<String> wellFormed = get(server.base + "/auth/login", b -> b.header("X-Real-IP", "203.0.113.9"));

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(wellFormed.statusCode()).isEqualTo(200);
        }
    }

    private static final class AutoCloseableServer implements AutoCloseable {
        final String base;
        final Stopper stopper;

        AutoCloseableServer(String base, Stopper stopper) {
            this.base = base;
            this.stopper = stopper;
        }

        @Override
        public void close() throws Exception {
            stopper.stop();
        }
    }

    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }
}
