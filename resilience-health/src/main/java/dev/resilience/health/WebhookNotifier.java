package dev.resilience.health;

import dev.resilience.core.Backoff;
import dev.resilience.core.Jitter;
import dev.resilience.core.Retry;
import dev.resilience.core.internal.Arguments;
import dev.resilience.health.internal.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Posts each alert transition as JSON (the same object as an entry of {@code GET /alerts}) to an HTTP
 * endpoint, retrying with the core {@link Retry}: by default 5 attempts with exponential backoff from
 * 1 s doubling to 30 s with full jitter, within 2 minutes, on I/O errors and on
 * {@linkplain WebhookException#isRetryable() retryable statuses} (408, 429, 5xx). Any 2xx is success.
 *
 * <p>The URL and header values are treated as secrets (chat webhooks embed tokens in them): they
 * never appear in logs, exception messages or {@link #toString()}. Thread-safe.
 */
public final class WebhookNotifier implements AlertNotifier {

    private final URI uri;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final Retry retry;
    private final Map<String, String> headers;

    /** What {@link #config()} reports. */
    private final Config config;

    private WebhookNotifier(Builder b) {
        this.uri = b.uri;
        this.client = b.client != null ? b.client
                : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.requestTimeout = b.requestTimeout;
        this.retry = b.retry;
        this.headers = Map.copyOf(b.headers);
        this.config = new Config(String.valueOf(uri.getHost()), requestTimeout, retry.maxAttempts(), retry.maxDuration(),
                List.copyOf(b.headers.keySet()), b.client == null);
    }

    /**
     * {@return a builder posting to {@code uri}}
     *
     * @param uri the endpoint, http or https; treated as a secret
     * @throws IllegalArgumentException if the scheme is not http or https (the URL is not echoed)
     */
    public static Builder builder(URI uri) {
        Objects.requireNonNull(uri, "uri");
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("uri must be an http or https URL, scheme was " + uri.getScheme());
        }
        return new Builder(uri);
    }

    /** {@return the default retry: 5 attempts, backoff 1 s doubling to 30 s with full jitter, at most 2 minutes} */
    public static Retry defaultRetry() {
        return Retry.builder("alert-webhook").maxAttempts(5).maxDuration(Duration.ofMinutes(2))
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30)).withJitter(Jitter.FULL))
                .retryIf(WebhookNotifier::retryable).build();
    }

    /**
     * {@return whether {@code failure} is worth retrying: I/O errors and retryable statuses; for custom retries}
     *
     * @param failure what an attempt threw
     */
    public static boolean retryable(Throwable failure) {
        return failure instanceof IOException
                || (failure instanceof WebhookException webhook && webhook.isRetryable());
    }

    /**
     * Posts the alert, retrying as configured.
     *
     * @throws WebhookException when the last attempt got an error status
     * @throws IOException when the last attempt could not reach the endpoint
     */
    @Override
    public void notify(Alert alert) throws Exception {
        byte[] body = Json.write(HealthEndpoints.alertJson(alert));
        retry.run(() -> post(body));
    }

    private void post(byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<Void> response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() < 200 || response.statusCode() >= 300) {
            throw new WebhookException(response.statusCode());
        }
    }

    @Override
    public String toString() {
        return "WebhookNotifier{" + uri.getHost() + "}";
    }

    /** {@return the effective settings, defaults included; no secret (see {@link Config})} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link WebhookNotifier}. The URL and the header values may hold
     * secrets: only the host and the header names are reported.
     *
     * @param host the webhook's host
     * @param requestTimeout how long one request may take (default 5 s)
     * @param maxAttempts the retry's attempts at most (default 5)
     * @param maxRetryDuration how long the retry may go on (default 2 minutes); null when a custom retry sets no bound
     * @param headerNames the names of the headers sent with every request, in the order given
     * @param ownClient whether the notifier made its own HTTP client (the default) rather than using the host's
     */
    public record Config(String host, Duration requestTimeout, int maxAttempts, @Nullable Duration maxRetryDuration,
                         List<String> headerNames, boolean ownClient) {
    }

    /** Builds a {@link WebhookNotifier}. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private @Nullable HttpClient client;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Retry retry = defaultRetry();
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * The client to send with. Default: a new client with the request timeout as connect timeout.
         *
         * @param client the host's client, shared and not closed here
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The timeout of each attempt. Default 5 s.
         *
         * @param timeout greater than 0
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration timeout) {
            Arguments.positive("requestTimeout", timeout);
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * The retry around each delivery. Default {@link #defaultRetry()}.
         *
         * @param retry a retry that decides with {@link WebhookNotifier#retryable(Throwable)} or its own predicate
         * @return this builder
         */
        public Builder retry(Retry retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        /**
         * A header sent with every request, for example {@code Authorization}; its value is never logged.
         *
         * @param name the header's name
         * @param value its value; treated as a secret
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Builds the notifier.
         *
         * @return a thread-safe notifier
         */
        public WebhookNotifier build() {
            return new WebhookNotifier(this);
        }
    }
}
