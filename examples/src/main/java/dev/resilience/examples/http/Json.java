package dev.resilience.examples.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.stream.Collectors;

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

    /** {@code body} as JSON in UTF-8, as {@link #send} writes it. */
    public static byte[] bytes(Object body) throws IOException {
        return MAPPER.writeValueAsBytes(body);
    }

    /** Writes {@code body} as JSON with {@code status} and closes the exchange. */
    public static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = bytes(body);
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
        return parse(body, type);
    }

    /** @throws HttpError 400 saying what is wrong with {@code body} in the client's terms */
    static <T> T parse(byte[] body, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw HttpError.badRequest(describe(e));
        }
    }

    /**
     * What is wrong with the body, in the client's terms: Jackson's own messages name Java classes and
     * types, which tell a client nothing and show it how the service is built.
     */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown field '" + unknown.getPropertyName() + "'" + (known.isEmpty() ? "" : "; known fields: " + String.join(", ", known));
        }
        if (e instanceof MismatchedInputException mismatched) {
            String field = mismatched.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return field.isEmpty() ? "request body must be a JSON object" : "field '" + field + "' has the wrong type or format";
        }
        JsonLocation at = e.getLocation();
        return "request body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
}
