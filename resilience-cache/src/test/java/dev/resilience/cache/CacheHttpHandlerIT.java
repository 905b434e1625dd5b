package dev.resilience.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.resilience.cache.http.CacheHttpHandler;
import dev.resilience.testkit.ManualClock;
import dev.resilience.testkit.ManualScheduler;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /cache/status and /cache/clear on a JDK HttpServer on loopback, behind each access rule. */
class CacheHttpHandlerIT {

    private static final String TOKEN = "a-long-admin-token-123";

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final InMemoryStore redis = new InMemoryStore(clock);
    private final RedisCache<String> orders = RedisCache.builder("orders", CacheCodec.strings()).store(redis.instance()).clock(clock)
            .scheduler(scheduler).executor(Runnable::run).localTier(10, java.time.Duration.ofSeconds(5)).build();
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        orders.close();
    }

    private String base(CacheHttpHandler handler) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cache", handler);
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cache";
    }

    private HttpResponse<String> send(String method, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a request line java.net.URI would refuse to build (a malformed %-escape), sent as is. */
    private static int rawStatus(String base, String requestLine) throws Exception {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((requestLine + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return statusLine == null ? -1 : Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    @Test
    void statusAndClearNeedTheTokenAndClearEmptiesTheCache() throws Exception {
        String base = base(CacheHttpHandler.withToken(List.of(orders), TOKEN));
        orders.get("order:1", key -> "one");

        assertThat(send("GET", base + "/status", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", base + "/status", "wrong-token-of-some-length").statusCode()).isEqualTo(401);
        HttpResponse<String> status = send("GET", base + "/status", TOKEN);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"name\":\"orders\"").contains("\"loads\":1").contains("\"redisOutage\":false");

        assertThat(send("POST", base + "/clear?cache=nope", TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("POST", base + "/clear", TOKEN).statusCode()).isEqualTo(400);
        HttpResponse<String> cleared = send("POST", base + "/clear?cache=orders", TOKEN);
        assertThat(cleared.statusCode()).isEqualTo(200);
        assertThat(orders.getIfPresent("order:1")).isEmpty();
    }

    @Test
    void disabledByDefaultAndOpenWhenAsked() throws Exception {
        String disabled = base(CacheHttpHandler.disabled(List.of(orders)));
        assertThat(send("GET", disabled + "/status", TOKEN).statusCode()).isEqualTo(404);
        server.stop(0);

        String open = base(CacheHttpHandler.open(List.of(orders)));
        assertThat(send("GET", open + "/status", null).statusCode()).isEqualTo(200);
        HttpResponse<String> delete = send("DELETE", open + "/status", null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void oddRequestsAnswerTheirStatusAndClearNothing() throws Exception {
        String base = base(CacheHttpHandler.withToken(List.of(orders), TOKEN));
        orders.get("order:1", key -> "one");

        assertThat(send("POST", base + "/clear?cache=orders", TOKEN.substring(0, 16)).statusCode()).isEqualTo(401); // a prefix
        assertThat(send("POST", base + "/clear?cache=orders", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(rawStatus(base, "POST /cache/clear?cache=%zz")).isEqualTo(400); // refused by the HttpServer itself
        assertThat(send("POST", base + "/clear?cache", TOKEN).statusCode()).isEqualTo(400);
        assertThat(send("POST", base + "/clear?cache=", TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("POST", base + "/clear?cache=ORDERS", TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> get = send("GET", base + "/clear?cache=orders", TOKEN);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(send("POST", base + "/clear/?cache=orders", TOKEN).statusCode()).isEqualTo(404);
        assertThat(send("POST", base + "/status", TOKEN).statusCode()).isEqualTo(405);

        assertThat(orders.getIfPresent("order:1")).contains("one"); // nothing was cleared
        assertThat(send("POST", base + "/clear?x=1&cache=orders", TOKEN).statusCode()).isEqualTo(200);
        assertThat(orders.getIfPresent("order:1")).isEmpty();
    }

    @Test
    void aShortTokenIsRejectedWithoutShowingIt() {
        assertThatThrownBy(() -> CacheHttpHandler.withToken(List.of(orders), "short-secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> CacheHttpHandler.open(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("caches");
        assertThatThrownBy(() -> CacheHttpHandler.withToken(List.of(orders), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("token");
    }
}
