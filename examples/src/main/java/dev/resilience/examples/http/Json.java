package dev.resilience.examples.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes JSON bodies of {@link HttpExchange}s with one shared Jackson {@link ObjectMapper}
 * (thread-safe once configured). Instants are written as ISO-8601 text; unknown request fields are
 * rejected so typos surface as 400 instead of being ignored.
 */
public final class Json {

    /** Request bodies larger than this are refused with 413: the service only takes small documents. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** Writes {@code body} as JSON with {@code status} and closes the exchange. */
    public static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Reads the request body as {@code type}.
     *
     * @throws HttpError 400 when the body is not valid JSON for {@code type}, 413 when it is too large
     */
    public static <T> T read(HttpExchange exchange, Class<T> type) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw HttpError.of(413, "request body larger than " + MAX_BODY_BYTES + " bytes", java.util.Map.of());
        }
        if (body.length == 0) {
            throw HttpError.badRequest("request body is empty, send a JSON document");
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest("request body is not valid: " + e.getOriginalMessage());
        }
    }
}
