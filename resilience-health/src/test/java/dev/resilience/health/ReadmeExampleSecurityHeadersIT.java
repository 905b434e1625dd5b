package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Keeps the README's security headers sample compiling and working: the body of {@link #wire} is quoted there. */
class ReadmeExampleSecurityHeadersIT {

    private HttpServer server;

    static HttpServer wire(HttpHandler app) throws IOException {
        // README sample begins
        SecurityHeaders headers = SecurityHeaders.builder()
                .tlsTerminatedByProxy(true)      // the load balancer speaks HTTPS to every client
                .contentSecurityPolicy("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
                .route("/docs", SecurityHeaders.builder()   // the API docs page needs inline scripts and styles
                        .contentSecurityPolicy("default-src 'self'; script-src 'self' 'unsafe-inline'; "
                                + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
                        .build())
                .build();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", app).getFilters().add(new SecurityHeadersFilter(headers));
        server.start();
        // README sample ends
        return server;
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpHeaders get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding()).headers();
    }

    @Test
    void theSampleSendsHstsBehindTheProxyAndTheDocsRouteGetsItsOwnPolicy() throws Exception {
        server = wire(exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });

        HttpHeaders api = get("/api/orders/1");
        HttpHeaders docs = get("/docs/index.html");

        assertThat(api.allValues("Strict-Transport-Security")).containsExactly("max-age=31536000; includeSubDomains");
        assertThat(api.allValues("Content-Security-Policy"))
                .containsExactly("default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        assertThat(docs.allValues("Content-Security-Policy").get(0)).contains("script-src 'self' 'unsafe-inline'");
        assertThat(docs.allValues("Strict-Transport-Security")).hasSize(1);
        assertThat(docs.allValues("X-Frame-Options")).containsExactly("DENY");
    }
}
