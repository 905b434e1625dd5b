package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The security headers filters on a real JDK server and on Jetty. Each serves {@code /page} (sets no
 * header), {@code /own} (sets its own {@code Content-Security-Policy} with {@code add} and
 * {@code X-Frame-Options} with {@code set}, both before sending) and {@code /embed/widget} (a route
 * with its own headers).
 */
class SecurityHeadersHttpIT {

    private static final String OWN_CSP = "default-src 'self' https://cdn.example.com";
    private static final SecurityHeaders EMBED = SecurityHeaders.builder()
            .contentSecurityPolicy("frame-ancestors https://partner.example.com")
            .omit(SecurityHeaders.FRAME_OPTIONS)
            .build();

    enum Kind { JDK, JETTY }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private AutoCloseable server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void answer(String path, Setter set, Setter add) {
        if (path.equals("/own")) {
            add.header(SecurityHeaders.CONTENT_SECURITY_POLICY, OWN_CSP);
            set.header(SecurityHeaders.FRAME_OPTIONS, "SAMEORIGIN");
        }
    }

    private interface Setter {
        void header(String name, String value);
    }

    private void start(Kind kind, SecurityHeaders headers) throws Exception {
        if (kind == Kind.JDK) {
            HttpServer jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            jdk.createContext("/", (HttpExchange exchange) -> {
                answer(exchange.getRequestURI().getPath(), exchange.getResponseHeaders()::set,
                        exchange.getResponseHeaders()::add);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            }).getFilters().add(new SecurityHeadersFilter(headers));
            jdk.start();
            port = jdk.getAddress().getPort();
            server = () -> jdk.stop(0);
        } else {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/");
            context.addFilter(new FilterHolder(new SecurityHeadersServletFilter(headers)), "/*",
                    EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(HttpServletRequest request, HttpServletResponse response) {
                    answer(request.getRequestURI(), response::setHeader, response::addHeader);
                    response.setStatus(200);
                }
            }), "/*");
            jetty.setHandler(context);
            jetty.start();
            port = connector.getLocalPort();
            server = jetty::stop;
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void responsesGetTheSafeDefaultsButNoHstsOverPlainHttp(Kind kind) throws Exception {
        start(kind, SecurityHeaders.defaults());

        var headers = get("/page").headers();

        assertThat(headers.allValues("Content-Security-Policy")).containsExactly(
                "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
        assertThat(headers.allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(headers.allValues("X-Frame-Options")).containsExactly("DENY");
        assertThat(headers.allValues("Referrer-Policy")).containsExactly("no-referrer");
        assertThat(headers.firstValue("Permissions-Policy")).hasValueSatisfying(v -> assertThat(v).contains("camera=()"));
        assertThat(headers.allValues("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void hstsIsSentOverHttpsOnTheJdkServer(@TempDir Path dir) throws Exception {
        char[] password = "test-only".toCharArray();
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", new String(password), "-keypass", new String(password))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool ended").isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }).getFilters().add(new SecurityHeadersFilter(SecurityHeaders.defaults()));
        https.start();
        server = () -> https.stop(0);

        HttpResponse<Void> response = HttpClient.newBuilder().sslContext(clientTls).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/page"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());

        assertThat(response.headers().allValues("Strict-Transport-Security"))
                .containsExactly("max-age=31536000; includeSubDomains");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void hstsIsSentOverPlainHttpWhenAProxyTerminatesTls(Kind kind) throws Exception {
        start(kind, SecurityHeaders.builder().tlsTerminatedByProxy(true)
                .strictTransportSecurity(Duration.ofDays(2), false).build());

        assertThat(get("/page").headers().allValues("Strict-Transport-Security")).containsExactly("max-age=172800");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void headersTheApplicationSetItselfAreSentOnceWithItsValue(Kind kind) throws Exception {
        start(kind, SecurityHeaders.defaults());

        var headers = get("/own").headers();

        assertThat(headers.allValues("Content-Security-Policy")).containsExactly(OWN_CSP);
        assertThat(headers.allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
        assertThat(headers.allValues("X-Content-Type-Options")).containsExactly("nosniff");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRouteGetsItsOwnHeaders(Kind kind) throws Exception {
        start(kind, SecurityHeaders.builder().route("/embed", EMBED).build());

        var embed = get("/embed/widget").headers();
        var page = get("/page").headers();

        assertThat(embed.allValues("Content-Security-Policy")).containsExactly("frame-ancestors https://partner.example.com");
        assertThat(embed.allValues("X-Frame-Options")).isEmpty();
        assertThat(embed.allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(page.allValues("X-Frame-Options")).containsExactly("DENY");
    }
}
