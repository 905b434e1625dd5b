package dev.resilience.health;

import com.sun.net.httpserver.HttpServer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real HTTP server on a free loopback port, either the JDK server or embedded Jetty, serving the
 * health endpoints under {@code /ops} and a small application under {@code /api} (both behind the
 * request metrics middleware): {@code /api/orders/{id}} answers 200, {@code /api/fail} 500 and
 * {@code /api/slow} waits for {@link #releaseSlow} before answering 200. Jetty also serves
 * {@code /async/job}, which answers 202 from another thread through an {@code AsyncContext}.
 */
abstract class TestServer implements AutoCloseable {

    enum Kind {
        JDK, JETTY;

        TestServer start(HealthEndpoints endpoints, RequestMetrics metrics) {
            return this == JDK ? new Jdk(endpoints, metrics) : new Jetty(endpoints, metrics);
        }
    }

    final CountDownLatch releaseSlow = new CountDownLatch(1);
    final CountDownLatch slowStarted = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    abstract int port();

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    HttpResponse<String> post(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()), headers);
    }

    CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return client.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(HttpRequest.Builder builder, String... headers) {
        if (headers.length > 0) {
            builder.headers(headers);
        }
        try {
            return client.send(builder.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** 200 for orders and slow (after release), 500 for fail, 404 for anything else. */
    int answer(String path) {
        if (path.startsWith("/api/orders/")) {
            return 200;
        }
        if (path.equals("/api/fail")) {
            return 500;
        }
        if (path.equals("/api/slow")) {
            slowStarted.countDown();
            try {
                releaseSlow.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 200;
        }
        return 404;
    }

    static final class Jdk extends TestServer {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        Jdk(HealthEndpoints endpoints, RequestMetrics metrics) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RequestMetricsFilter filter = new RequestMetricsFilter(metrics);
            HealthHttpHandler.mount(server, endpoints, filter);
            server.createContext("/api", exchange -> {
                int status = answer(exchange.getRequestURI().getPath());
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            }).getFilters().add(filter);
            server.setExecutor(threads);
            server.start();
        }

        @Override
        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            releaseSlow.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    static final class Jetty extends TestServer {
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);

        Jetty(HealthEndpoints endpoints, RequestMetrics metrics) {
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            FilterHolder filter = new FilterHolder(new RequestMetricsServletFilter(metrics));
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HealthServlet(endpoints)), endpoints.prefix() + "/*");
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) {
                    response.setStatus(answer(request.getRequestURI()));
                }
            }), "/api/*");
            ServletHolder async = new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) {
                    AsyncContext async = request.startAsync();
                    CompletableFuture.runAsync(() -> {
                        ((HttpServletResponse) async.getResponse()).setStatus(202);
                        async.complete();
                    });
                }
            });
            async.setAsyncSupported(true);
            context.addServlet(async, "/async/*");
            server.setHandler(context);
            try {
                server.start();
            } catch (Exception e) {
                throw new IllegalStateException("Jetty did not start", e);
            }
        }

        @Override
        int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            releaseSlow.countDown();
            server.stop();
        }
    }
}
