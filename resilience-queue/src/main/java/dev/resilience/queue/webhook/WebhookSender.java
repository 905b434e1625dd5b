package dev.resilience.queue.webhook;

import dev.resilience.core.Clock;
import dev.resilience.core.internal.Arguments;
import dev.resilience.queue.RetryAfterException;
import dev.resilience.queue.TaskContext;
import dev.resilience.queue.TaskHandler;
import dev.resilience.queue.TaskPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskHandler} that POSTs the task's payload as JSON to one endpoint, signed so the receiver can
 * check it came from us, unaltered, recently:
 * <ul>
 *   <li>{@code webhook-id}: the task's idempotency key, else {@code task-<id>}; the same on every retry, so the
 *       receiver can drop duplicates</li>
 *   <li>{@code webhook-timestamp}: seconds since the epoch when this attempt was sent</li>
 *   <li>{@code webhook-signature}: {@code v1,} and the Base64 HMAC-SHA256, keyed with the secret, of
 *       {@code <id>.<timestamp>.<body>} (the scheme of the Standard Webhooks specification)</li>
 * </ul>
 * Outcomes: 2xx succeeds; 429 and 503 with a {@code Retry-After} retry after it ({@link RetryAfterException});
 * other 5xx, 408, 429 and network errors or timeouts fail the attempt to be retried with backoff
 * ({@link WebhookFailedException}, {@link java.io.IOException}); any other status fails with
 * {@link WebhookRejectedException}, which {@link #policyBuilder()} sends to the dead letter queue at once.
 *
 * <p>Immutable and thread-safe. The secret never appears in logs, messages or {@link #toString()}.
 */
public final class WebhookSender implements TaskHandler {

    private static final String HMAC = "HmacSHA256";

    private final URI endpoint;
    private final byte[] secret;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;
    private final boolean customClient;

    private WebhookSender(Builder b) {
        this.customClient = b.client != null;
        this.endpoint = b.endpoint;
        this.secret = b.secret;
        this.client = b.client != null ? b.client : HttpClient.newBuilder().connectTimeout(b.timeout).build();
        this.timeout = b.timeout;
        this.clock = b.clock;
    }

    /**
     * A sender to {@code endpoint} signing with {@code secret}.
     *
     * @param endpoint the receiver's http or https URI; its path and query are sent but never logged
     * @param secret   the HMAC key, at least 16 bytes; copied, never logged
     * @return a builder with the defaults (10 s timeout, a new HTTP client, the system clock)
     * @throws IllegalArgumentException if the endpoint is not http(s) or the secret is shorter than 16 bytes
     */
    public static Builder builder(URI endpoint, byte[] secret) {
        return new Builder(endpoint, secret);
    }

    /**
     * A {@link TaskPolicy} builder whose retry-on predicate rejects {@link WebhookRejectedException} (4xx other than
     * 408 and 429 go to the dead letter queue at once); set attempts and backoff on it.
     *
     * @return a new builder; the predicate replaced by {@link TaskPolicy.Builder#retryOn} drops this rule
     */
    public static TaskPolicy.Builder policyBuilder() {
        return TaskPolicy.builder().retryOn(error -> !(error instanceof WebhookRejectedException));
    }

    @Override
    public void handle(TaskContext task) throws Exception {
        String id = task.idempotencyKey().orElse("task-" + task.id());
        String timestamp = Long.toString(clock.now().getEpochSecond());
        byte[] body = task.payload();
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", sign(secret, id, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String what = "webhook " + id + " to " + endpoint.getHost() + " answered " + status;
        Optional<Duration> retryAfter = response.headers().firstValue("retry-after")
                .flatMap(value -> retryAfter(value, clock.now()));
        if ((status == 429 || status == 503) && retryAfter.isPresent()) {
            throw new RetryAfterException(retryAfter.get(), what + ", retry after " + retryAfter.get().toSeconds() + " s");
        }
        if (status >= 500 || status == 408 || status == 429) {
            throw new WebhookFailedException(status, what);
        }
        throw new WebhookRejectedException(status, what);
    }

    /**
     * {@code v1,} and the Base64 HMAC-SHA256 of {@code <id>.<timestamp>.<body>} keyed with {@code secret}.
     *
     * @param secret    the HMAC key
     * @param id        the webhook id (the {@code webhook-id} header)
     * @param timestamp the send time in epoch seconds, as a decimal string (the {@code webhook-timestamp} header)
     * @param body      the exact request body
     * @return the {@code webhook-signature} header value
     */
    public static String sign(byte[] secret, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * For receivers: true when {@code signatureHeader} (possibly several space-separated signatures) holds the
     * signature of this id, timestamp and body, and the timestamp is within {@code tolerance} of {@code now}.
     * Compares in constant time.
     *
     * @param secret          the HMAC key
     * @param id              the {@code webhook-id} header
     * @param timestamp       the {@code webhook-timestamp} header, epoch seconds
     * @param body            the exact request body as received
     * @param signatureHeader the {@code webhook-signature} header
     * @param now             the receiver's current time
     * @param tolerance       how far the timestamp may be from {@code now}, either way (5 min is usual)
     * @return true when one signature matches and the timestamp is fresh; false for a malformed timestamp too
     */
    public static boolean verify(byte[] secret, String id, String timestamp, byte[] body, String signatureHeader,
            Instant now, Duration tolerance) {
        long sent;
        try {
            sent = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - sent) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, id, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP date; empty when unparseable. Never negative. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * The effective settings, defaults included. Never the secret, and only the endpoint's scheme, host and
     * port: its path, query or user info may carry a token.
     *
     * @return a snapshot of the settings
     */
    public Config config() {
        return new Config(origin(), timeout, customClient);
    }

    /**
     * The effective settings of a {@link WebhookSender}; no secret.
     *
     * @param origin       the endpoint's {@code scheme://host[:port]}, without path, query or user info
     * @param timeout      how long one request may take (default 10 s; also the connect timeout of the default client)
     * @param customClient true when {@link Builder#httpClient(HttpClient)} gave the client, false for the default one
     */
    public record Config(String origin, Duration timeout, boolean customClient) {
    }

    private String origin() {
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort());
    }

    @Override
    public String toString() {
        return "WebhookSender{" + origin() + ", timeout " + timeout + "}";
    }

    /** Builds a {@link WebhookSender}. Not thread-safe. */
    public static final class Builder {
        private final URI endpoint;
        private final byte[] secret;
        private @Nullable HttpClient client;
        private Duration timeout = Duration.ofSeconds(10);
        private Clock clock = Clock.system();

        private Builder(URI endpoint, byte[] secret) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
                throw new IllegalArgumentException("endpoint must be an http or https URI, was scheme '"
                        + endpoint.getScheme() + "'");
            }
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 16) {
                throw new IllegalArgumentException("secret must be at least 16 bytes, was " + secret.length + " bytes");
            }
            this.endpoint = endpoint;
            this.secret = secret.clone();
        }

        /**
         * How long one request may take, connect included (default 10 s); longer counts as a network failure.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive("timeout", timeout);
            return this;
        }

        /**
         * The client to send with (default a new one with the timeout as connect timeout).
         *
         * @param client the client; its own connect timeout, proxy and TLS settings apply
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.client = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /**
         * The clock for the signature timestamp and HTTP-date {@code Retry-After} (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the sender.
         *
         * @return an immutable, thread-safe sender
         */
        public WebhookSender build() {
            return new WebhookSender(this);
        }
    }
}
