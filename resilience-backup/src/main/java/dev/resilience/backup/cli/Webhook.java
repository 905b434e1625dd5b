package dev.resilience.backup.cli;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.resilience.backup.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Posts a failure to a webhook: {@code {"database", "operation", "exitCode", "error", "at"}} as JSON, with
 * one bound on connecting and on the whole exchange. A webhook that fails or times out is logged and
 * otherwise ignored: it never changes the command's exit code. The URL may carry credentials in its
 * user info (sent as Basic authentication), path or query (Slack and others put a token in the path),
 * so only its scheme, host and port are ever logged. Not thread-safe; one per failure.
 */
final class Webhook {

    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);

    private final URI url;
    private final Duration timeout;

    Webhook(URI url, Duration timeout) {
        validate(url, timeout);
        this.url = url;
        this.timeout = timeout;
    }

    /** Checks the options before the command runs, so a bad URL is a usage error, not a lost alert. */
    static void validate(URI url, Duration timeout) {
        if ((!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException("--notify-url must be an http or https URL with a host: " + safe(url));
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--notify-timeout must be positive: " + timeout);
        }
    }

    /** The body a webhook receives; the shape is documented in the README. */
    @JsonPropertyOrder({"database", "operation", "exitCode", "error", "at"})
    record Failure(@Nullable String database, String operation, int exitCode, String error, Instant at) {
    }

    /** Posts the failure; returns normally whatever happens to the request. */
    void post(@Nullable String database, String operation, int exitCode, String error) {
        try {
            byte[] body = Json.MAPPER.writeValueAsBytes(new Failure(database, operation, exitCode, error, Instant.now()));
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
            HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (url.getRawUserInfo() != null) {
                // user:password in the URL becomes Basic authentication, as curl does
                String credentials = java.net.URLDecoder.decode(url.getRawUserInfo(), java.nio.charset.StandardCharsets.UTF_8);
                request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString(credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 != 2) {
                LOG.warn("Failure webhook {} answered HTTP {}", safe(url), status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Failure webhook {} interrupted", safe(url));
        } catch (JsonProcessingException e) {
            LOG.warn("Failure webhook {} not sent: {}", safe(url), e.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            // the exception's message may quote the URL: only its type is logged
            LOG.warn("Failure webhook {} failed: {}", safe(url), e.getClass().getSimpleName());
        }
    }

    private static URI withoutUserInfo(URI url) {
        if (url.getRawUserInfo() == null) {
            return url;
        }
        return URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath()) + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** The URL reduced to scheme, host and port: user info, path and query may carry secrets. */
    static String safe(URI url) {
        return url.getScheme() + "://" + (url.getHost() == null ? "?" : url.getHost())
                + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
