package dev.resilience.examples.http;

import java.util.Map;

/**
 * An error answer: the status and a message telling the client what to change. Thrown by endpoints
 * and turned into a JSON body by {@link JsonEndpoint#handler(JsonEndpoint)}. Stackless: it is
 * control flow, not a bug.
 */
public final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers;

    private HttpError(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = headers;
    }

    /** 400 with the given message. */
    public static HttpError badRequest(String message) {
        return new HttpError(400, message, Map.of());
    }

    /** 404 with the given message. */
    public static HttpError notFound(String message) {
        return new HttpError(404, message, Map.of());
    }

    /** 405 listing the allowed methods in {@code Allow}. */
    public static HttpError methodNotAllowed(String allowed) {
        return new HttpError(405, "method not allowed, use " + allowed, Map.of("Allow", allowed));
    }

    /** Any status with the given message and headers. */
    public static HttpError of(int status, String message, Map<String, String> headers) {
        return new HttpError(status, message, Map.copyOf(headers));
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Headers to add to the answer. */
    public Map<String, String> headers() {
        return headers;
    }
}
