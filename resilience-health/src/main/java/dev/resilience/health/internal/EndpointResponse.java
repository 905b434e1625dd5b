package dev.resilience.health.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response of the transport-neutral endpoint core, written out by the thin HTTP adapters. Immutable. */
public final class EndpointResponse {

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final byte[] body;

    public EndpointResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    public static EndpointResponse json(int status, String contentType, byte[] body) {
        return new EndpointResponse(status, contentType, Map.of(), body);
    }

    public EndpointResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new EndpointResponse(status, contentType, copy, body);
    }

    public static EndpointResponse text(int status, String contentType, String body) {
        return new EndpointResponse(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Extra headers besides Content-Type. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body; callers must not modify it. */
    public byte[] body() {
        return body;
    }
}
