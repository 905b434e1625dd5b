package dev.resilience.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which security headers a response gets: {@code Strict-Transport-Security} (only over HTTPS, or on
 * every response when {@link Builder#tlsTerminatedByProxy} says a proxy in front terminates TLS),
 * {@code Content-Security-Policy}, {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options},
 * {@code Referrer-Policy} and {@code Permissions-Policy}. Applied by {@link SecurityHeadersFilter}
 * (JDK {@code HttpServer}) and {@link SecurityHeadersServletFilter} (Servlet), which never add a
 * header the application already set: the application's value wins.
 *
 * <p>Defaults ({@link #defaults()}), right for an API and for pages served from the same origin:
 * <ul>
 *   <li>{@code Strict-Transport-Security: max-age=31536000; includeSubDomains}</li>
 *   <li>{@code Content-Security-Policy: default-src 'self'; object-src 'none'; base-uri 'self';
 *       form-action 'self'; frame-ancestors 'none'}</li>
 *   <li>{@code X-Content-Type-Options: nosniff}</li>
 *   <li>{@code X-Frame-Options: DENY}</li>
 *   <li>{@code Referrer-Policy: no-referrer}</li>
 *   <li>{@code Permissions-Policy: accelerometer=(), camera=(), geolocation=(), gyroscope=(),
 *       magnetometer=(), microphone=(), payment=(), usb=()}</li>
 * </ul>
 * Routes ({@link Builder#route}) replace the whole set for the paths under a prefix; the longest
 * matching prefix wins. Immutable and thread-safe.
 */
public final class SecurityHeaders {

    /** The {@code Strict-Transport-Security} header's name (sent over HTTPS only, unless TLS ends at a proxy). */
    public static final String HSTS = "Strict-Transport-Security";
    /** The {@code Content-Security-Policy} header's name. */
    public static final String CONTENT_SECURITY_POLICY = "Content-Security-Policy";
    /** The {@code X-Content-Type-Options} header's name. */
    public static final String CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";
    /** The {@code X-Frame-Options} header's name. */
    public static final String FRAME_OPTIONS = "X-Frame-Options";
    /** The {@code Referrer-Policy} header's name. */
    public static final String REFERRER_POLICY = "Referrer-Policy";
    /** The {@code Permissions-Policy} header's name. */
    public static final String PERMISSIONS_POLICY = "Permissions-Policy";

    private static final List<String> NAMES = List.of(HSTS, CONTENT_SECURITY_POLICY, CONTENT_TYPE_OPTIONS,
            FRAME_OPTIONS, REFERRER_POLICY, PERMISSIONS_POLICY);
    private static final Set<String> REFERRER_POLICIES = Set.of("no-referrer", "no-referrer-when-downgrade",
            "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin",
            "unsafe-url");
    private static final SecurityHeaders DEFAULTS = builder().build();

    private final Map<String, String> headers;
    private final boolean tlsTerminatedByProxy;
    private final List<Map.Entry<String, SecurityHeaders>> routes;

    /** What {@link #config()} reports. */
    private final Config config;

    private SecurityHeaders(Builder builder) {
        this.headers = Map.copyOf(builder.headers);
        this.tlsTerminatedByProxy = builder.tlsTerminatedByProxy;
        List<Map.Entry<String, SecurityHeaders>> sorted = new ArrayList<>(builder.routes.entrySet());
        sorted.sort(Comparator.comparingInt((Map.Entry<String, SecurityHeaders> e) -> e.getKey().length()).reversed());
        this.routes = List.copyOf(sorted);
        this.config = new Config(orderedHeaders(), tlsTerminatedByProxy, routeConfigs());
    }

    /** {@return the defaults listed above} */
    public static SecurityHeaders defaults() {
        return DEFAULTS;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the headers a response to {@code path} gets, in a stable order, names as listed in this class}
     *
     * @param path the request path, relative to the servlet context where there is one
     * @param secure whether the request came over HTTPS to this server
     */
    public Map<String, String> headersFor(String path, boolean secure) {
        SecurityHeaders policy = this;
        for (Map.Entry<String, SecurityHeaders> route : routes) {
            if (underPrefix(path, route.getKey())) {
                policy = route.getValue();
                break;
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = policy.headers.get(name);
            if (value != null && (!name.equals(HSTS) || secure || tlsTerminatedByProxy)) {
                result.put(name, value);
            }
        }
        return result;
    }

    /** Whether {@code name} is one of the headers this class manages (case-insensitive). */
    static boolean manages(String name) {
        for (String managed : NAMES) {
            if (managed.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "SecurityHeaders" + headers + (tlsTerminatedByProxy ? " (TLS terminated by proxy)" : "")
                + (routes.isEmpty() ? "" : " routes " + routes);
    }

    /** Segment-wise: {@code /docs} covers {@code /docs} and {@code /docs/x}, not {@code /docsx}. */
    private static boolean underPrefix(String path, String prefix) {
        return path.startsWith(prefix)
                && (path.length() == prefix.length() || prefix.endsWith("/") || path.charAt(prefix.length()) == '/');
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    private Map<String, String> orderedHeaders() {
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String name : NAMES) {
            String value = headers.get(name);
            if (value != null) {
                ordered.put(name, value);
            }
        }
        return Collections.unmodifiableMap(ordered);
    }

    private Map<String, Config> routeConfigs() {
        Map<String, Config> configs = new LinkedHashMap<>();
        routes.forEach(route -> configs.put(route.getKey(), route.getValue().config()));
        return Collections.unmodifiableMap(configs);
    }

    /**
     * The effective settings of {@link SecurityHeaders}.
     *
     * @param headers the headers every response gets (HSTS only over TLS), in the order this class lists
     *     them; an {@link Builder#omit(String) omitted} one is absent
     * @param tlsTerminatedByProxy whether HSTS is sent over plain HTTP too, because a proxy terminates TLS
     *     (default false)
     * @param routes the settings of path prefixes with headers of their own, longest prefix first
     */
    public record Config(Map<String, String> headers, boolean tlsTerminatedByProxy, Map<String, Config> routes) {
    }

    /** Builds a {@link SecurityHeaders}; starts from the defaults. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> headers = new LinkedHashMap<>();
        private boolean tlsTerminatedByProxy;
        private final Map<String, SecurityHeaders> routes = new LinkedHashMap<>();

        private Builder() {
            headers.put(HSTS, "max-age=31536000; includeSubDomains");
            headers.put(CONTENT_SECURITY_POLICY,
                    "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'");
            headers.put(CONTENT_TYPE_OPTIONS, "nosniff");
            headers.put(FRAME_OPTIONS, "DENY");
            headers.put(REFERRER_POLICY, "no-referrer");
            headers.put(PERMISSIONS_POLICY, "accelerometer=(), camera=(), geolocation=(), gyroscope=(), "
                    + "magnetometer=(), microphone=(), payment=(), usb=()");
        }

        /**
         * {@code Strict-Transport-Security: max-age=<seconds>[; includeSubDomains]}.
         *
         * @param maxAge how long browsers remember to use HTTPS only, whole seconds (default one year)
         * @param includeSubDomains true to cover every subdomain too (default true)
         * @return this builder
         * @throws IllegalArgumentException if {@code maxAge} is negative
         */
        public Builder strictTransportSecurity(Duration maxAge, boolean includeSubDomains) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
            }
            headers.put(HSTS, "max-age=" + maxAge.toSeconds() + (includeSubDomains ? "; includeSubDomains" : ""));
            return this;
        }

        /**
         * Sends {@code Strict-Transport-Security} on every response, also those that reach this server
         * over plain HTTP, because a proxy in front terminates TLS and every client speaks HTTPS to it.
         * Off by default: HSTS then goes only on responses to HTTPS requests (browsers ignore it over HTTP).
         *
         * @param tlsTerminatedByProxy true when every client reaches the service over HTTPS through a proxy
         * @return this builder
         */
        public Builder tlsTerminatedByProxy(boolean tlsTerminatedByProxy) {
            this.tlsTerminatedByProxy = tlsTerminatedByProxy;
            return this;
        }

        /**
         * {@code Content-Security-Policy}. Keep a {@code frame-ancestors} directive in step with
         * {@link #frameOptions}.
         *
         * @param policy the header's value, one line
         * @return this builder
         * @throws IllegalArgumentException if blank or holding a line break
         */
        public Builder contentSecurityPolicy(String policy) {
            headers.put(CONTENT_SECURITY_POLICY, headerValue("policy", policy));
            return this;
        }

        /**
         * {@code X-Frame-Options}: {@code DENY} or {@code SAMEORIGIN} (any case).
         *
         * @param option {@code DENY} or {@code SAMEORIGIN}
         * @return this builder
         * @throws IllegalArgumentException for any other value
         */
        public Builder frameOptions(String option) {
            Objects.requireNonNull(option, "option");
            String upper = option.trim().toUpperCase(Locale.ROOT);
            if (!upper.equals("DENY") && !upper.equals("SAMEORIGIN")) {
                throw new IllegalArgumentException("option must be DENY or SAMEORIGIN: " + option);
            }
            headers.put(FRAME_OPTIONS, upper);
            return this;
        }

        /**
         * {@code Referrer-Policy}: one of the policies of the W3C Referrer Policy specification.
         *
         * @param policy such as {@code no-referrer} (the default) or {@code strict-origin-when-cross-origin}
         * @return this builder
         * @throws IllegalArgumentException for any other value
         */
        public Builder referrerPolicy(String policy) {
            Objects.requireNonNull(policy, "policy");
            if (!REFERRER_POLICIES.contains(policy)) {
                throw new IllegalArgumentException("policy must be one of " + REFERRER_POLICIES + ": " + policy);
            }
            headers.put(REFERRER_POLICY, policy);
            return this;
        }

        /**
         * {@code Permissions-Policy}, e.g. {@code camera=(), geolocation=(self)}.
         *
         * @param policy the header's value, one line
         * @return this builder
         * @throws IllegalArgumentException if blank or holding a line break
         */
        public Builder permissionsPolicy(String policy) {
            headers.put(PERMISSIONS_POLICY, headerValue("policy", policy));
            return this;
        }

        /**
         * Does not send {@code header} at all (e.g. {@code X-Frame-Options} on a route meant to be framed).
         *
         * @param header one of the header names this class lists, any case
         * @return this builder
         * @throws IllegalArgumentException if {@code header} is not one this class manages
         */
        public Builder omit(String header) {
            Objects.requireNonNull(header, "header");
            String name = NAMES.stream().filter(n -> n.equalsIgnoreCase(header)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("header must be one of " + NAMES + ": " + header));
            headers.remove(name);
            return this;
        }

        /**
         * Uses {@code headers} instead of this builder's set for {@code pathPrefix} and the paths under it
         * (segment-wise: {@code /docs} covers {@code /docs} and {@code /docs/a}, not {@code /docsx}). The
         * longest matching prefix wins; routes of {@code headers} itself are ignored.
         *
         * @param pathPrefix a path prefix, matched segment-wise; the longest matching prefix wins
         * @param headers the headers for paths under it, instead of these
         * @return this builder
         * @throws IllegalArgumentException if {@code pathPrefix} does not start with '/' or is given twice
         */
        public Builder route(String pathPrefix, SecurityHeaders headers) {
            Objects.requireNonNull(pathPrefix, "pathPrefix");
            Objects.requireNonNull(headers, "headers");
            if (!pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("pathPrefix must start with '/': " + pathPrefix);
            }
            if (routes.putIfAbsent(pathPrefix, headers) != null) {
                throw new IllegalArgumentException("pathPrefix given twice: " + pathPrefix);
            }
            return this;
        }

        /** {@return the immutable headers} */
        public SecurityHeaders build() {
            return new SecurityHeaders(this);
        }

        private static String headerValue(String parameter, String value) {
            Objects.requireNonNull(value, parameter);
            if (value.isBlank() || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException(parameter + " must be a non-blank single line: " + value);
            }
            return value.trim();
        }
    }
}
