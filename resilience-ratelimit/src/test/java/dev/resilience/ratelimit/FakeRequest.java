package dev.resilience.ratelimit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link RateLimitRequest} built in a test. */
final class FakeRequest implements RateLimitRequest {
    private final String remote;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private String path = "/";
    private String principal;
    private String handlerPath;

    private FakeRequest(String remote) {
        this.remote = remote;
    }

    static FakeRequest from(String remote) {
        return new FakeRequest(remote);
    }

    FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value);
        return this;
    }

    FakeRequest path(String path) {
        this.path = path;
        return this;
    }

    FakeRequest handlerPath(String handlerPath) {
        this.handlerPath = handlerPath;
        return this;
    }

    @Override
    public String handlerPath() {
        return handlerPath;
    }

    FakeRequest user(String principal) {
        this.principal = principal;
        return this;
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String principal() {
        return principal;
    }
}
