package dev.resilience.examples.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls the pricing upstream over HTTP, with no resilience of its own: {@link QuoteEndpoint} wraps it.
 * Thread-safe (one shared {@link HttpClient}).
 */
public final class QuoteClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Duration requestTimeout;

    /**
     * A client of the upstream at {@code base} (for example {@code http://127.0.0.1:8080/upstream}).
     * {@code requestTimeout} is the client's own last-resort limit; the Timeout policy is the real one.
     */
    public QuoteClient(HttpClient http, URI base, Duration requestTimeout) {
        this.http = http;
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    /**
     * The upstream's quote for {@code item}.
     *
     * @throws UpstreamException when the upstream answers anything but 200
     * @throws IOException when the upstream cannot be reached
     */
    public Quote quote(String item) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/quote?item=" + URLEncoder.encode(item, StandardCharsets.UTF_8)))
                .timeout(requestTimeout)
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new UpstreamException(response.statusCode());
        }
        return MAPPER.readValue(response.body(), Quote.class);
    }

    /** The upstream answered with an error status. */
    public static final class UpstreamException extends IOException {

        private static final long serialVersionUID = 1L;

        UpstreamException(int status) {
            super("upstream answered HTTP " + status);
        }
    }
}
