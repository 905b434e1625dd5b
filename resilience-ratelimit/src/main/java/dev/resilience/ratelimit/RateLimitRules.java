package dev.resilience.ratelimit;

import dev.resilience.core.internal.Arguments;
import dev.resilience.ratelimit.internal.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Which limiter applies to which request, and under which key: routes by path pattern
 * ({@code /auth/login} exact, {@code /users/*}{@code /posts} one segment, {@code /api/**} any depth), the
 * first matching route wins; excluded paths (health checks) are never limited. Paths are compared
 * the way a handler may read them, so the spellings of one path cannot sidestep its rule: path
 * parameters ({@code /auth/login;a=b}), repeated slashes, dot segments ({@code /x/../auth/login}) and
 * percent-encoding (decoded by the server adapters) all match {@code /auth/login}; and a rule that
 * matches the path a handler is mounted on (a JDK {@code HttpServer} context, which also serves
 * {@code /auth/loginx} and {@code /auth/login/x}; a servlet path mapping {@code /auth/login/*})
 * applies to everything that handler serves. Comparison is case-sensitive, as in both servers. Used by
 * {@link RateLimitServletFilter} and {@link RateLimitHttpFilter}, or directly from any framework.
 *
 * <pre>{@code
 * RateLimitRules rules = RateLimitRules.builder()
 *     .exclude("/health/**")
 *     .route("/auth/login", loginLimiter)
 *     .route("/api/**", apiLimiter)
 *     .keyResolver(ClientIpResolver.builder().trustedProxies("10.0.0.0/8").build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitRules {

    /** A route's resolver when it has none of its own: the rules' key resolver decides. */
    private static final KeyResolver NO_KEY = request -> null;
    /** The last resort for a request no resolver found a key for: its peer's address. */
    private static final ClientIpResolver CLIENT_IP = ClientIpResolver.builder().build();

    private final List<Route> routes;
    private final List<String[]> excluded;
    private final KeyResolver fallbackKey;
    private final ToIntFunction<RateLimitRequest> cost;
    private final boolean legacyHeaders;
    private final AccessLists access;

    /** What {@link #config()} reports. */
    private final Config config;

    private RateLimitRules(Builder builder) {
        this.routes = List.copyOf(builder.routes);
        this.excluded = List.copyOf(builder.excluded);
        this.fallbackKey = builder.keyResolver;
        this.cost = builder.cost;
        this.access = builder.access.build(builder.keyResolver);
        this.legacyHeaders = builder.legacyHeaders;
        this.config = config(builder, access);
    }

    /** {@return a builder: no route yet, keys by client IP (socket address), no access list, standard headers only} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides for {@code request}: null when no route applies (excluded or unmatched), else the
     * limiter's decision with the limiter (for its policy's headers).
     *
     * @param request the request, adapted from the server's API
     * @return the outcome, or null when the request is not limited (no route, excluded, or allow-listed)
     */
    public @Nullable Outcome evaluate(RateLimitRequest request) {
        Route route = route(request);
        if (route == null) {
            return null;
        }
        String key = route.keyResolver.resolve(request);
        if (key == null || key.isEmpty()) {
            key = fallbackKey.resolve(request);
        }
        if (key == null || key.isEmpty()) {
            key = CLIENT_IP.resolve(request);
        }
        AccessLists.Verdict verdict = access.verdict(request, key);
        if (verdict == AccessLists.Verdict.DENY) {
            return new Outcome(route, null, null, 0, legacyHeaders);
        }
        if (verdict == AccessLists.Verdict.ALLOW) {
            return null;
        }
        long permits = Math.max(0, Math.min(route.limiter.policy().maxPermits(), cost.applyAsInt(request)));
        String bounded = Keys.bounded(key);
        Decision decision = route.limiter.tryAcquire(bounded, (int) permits);
        return new Outcome(route, decision, bounded, decision.allowed() ? (int) permits : 0, legacyHeaders);
    }

    /**
     * The route for {@code request}, read the ways its handler might: the path with dot segments
     * resolved, and as written (both without path parameters and empty segments). An exclusion applies
     * only when both readings match it; a route when either does, or when it matches the
     * {@link RateLimitRequest#handlerPath() handler's path} (then every path that handler serves is limited).
     */
    private @Nullable Route route(RateLimitRequest request) {
        String[] resolved = segments(request.path(), true);
        String[] literal = segments(request.path(), false);
        if (excluded(resolved) && excluded(literal)) {
            return null;
        }
        String handlerPath = request.handlerPath();
        String[] handler = handlerPath == null ? new String[0] : segments(handlerPath, true);
        for (Route route : routes) {
            if (matches(route.pattern, resolved) || matches(route.pattern, literal)
                    || (handler.length > 0 && matches(route.pattern, handler))) {
                return route;
            }
        }
        return null;
    }

    private boolean excluded(String[] path) {
        for (String[] pattern : excluded) {
            if (matches(pattern, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The segments of a decoded path: path parameters ({@code ;a=b}) and empty segments ({@code //})
     * dropped, and with {@code resolveDots} the dot segments resolved ({@code /a/./b/../c} is {@code /a/c}).
     */
    static String[] segments(String path, boolean resolveDots) {
        List<String> segments = new ArrayList<>();
        for (String segment : (path == null ? "" : path).split("/", -1)) { // empty segments are read past
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (name.isEmpty() || (resolveDots && name.equals("."))) {
                continue;
            }
            if (resolveDots && name.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(name);
        }
        return segments.toArray(new String[0]);
    }

    private static boolean matches(String[] pattern, String[] path) {
        int i = 0;
        for (; i < pattern.length; i++) {
            if (pattern[i].equals("**")) {
                return true;
            }
            if (i >= path.length || !(pattern[i].equals("*") || pattern[i].equals(path[i]))) {
                return false;
            }
        }
        return i == path.length;
    }

    /**
     * Which responses of a route give their permits back after the handler ran, so that they do not
     * count against the limit (express-rate-limit's {@code skipSuccessfulRequests} /
     * {@code skipFailedRequests}). The permits are always taken before the handler runs, so concurrent
     * requests never exceed the limit; they are refunded once the response status is known.
     */
    public enum Skip {
        /** Every admitted request counts (the default). */
        NONE,
        /** Responses with a status below 400 are given back: only failures count (a login route). */
        SUCCESSFUL,
        /** Responses with a status of 400 or more (or a handler that threw) are given back. */
        FAILED;

        boolean skips(int status) {
            return this == SUCCESSFUL ? status < 400 : this == FAILED && status >= 400;
        }
    }

    /**
     * What the rules decided for one request: a limiter's decision, or a denial by a deny list. Thread
     * confined to the request; {@link #completed(int)} is called once.
     */
    public static final class Outcome {
        private static final String FORBIDDEN =
                "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Access denied.\"}";

        private final RateLimiter limiter;
        private final Skip skip;
        /** Null when a deny list refused the request. */
        private final @Nullable Decision decision;
        /** The key the permits were taken under; null when denied. */
        private final @Nullable String key;
        private int taken;
        private final boolean legacyHeaders;

        Outcome(Route route, @Nullable Decision decision, @Nullable String key, int taken, boolean legacyHeaders) {
            this.limiter = route.limiter;
            this.skip = route.skip;
            this.decision = decision;
            this.key = key;
            this.taken = taken;
            this.legacyHeaders = legacyHeaders;
        }

        /**
         * The limiter of the route that matched; for a denied request, the one that would have decided.
         *
         * @return the route's limiter
         */
        public RateLimiter limiter() {
            return limiter;
        }

        /**
         * Tells the outcome the status of the response of an admitted request (500 when the handler
         * threw); when the route {@link Skip skips} such responses, the permits the request took are
         * refunded. The filters call it; a framework using {@link #evaluate} directly calls it once
         * after its handler. Further calls do nothing.
         *
         * @param status the HTTP status of the response (500 when the handler threw)
         */
        public void completed(int status) {
            if (taken > 0 && key != null && skip.skips(status)) {
                limiter.refund(key, taken);
            }
            taken = 0;
        }

        /** {@return the limiter's decision; null when {@link #denied()} (no limiter was asked)} */
        public @Nullable Decision decision() {
            return decision;
        }

        /** {@return true when a deny list refused the request (answer 403, {@link #problem()})} */
        public boolean denied() {
            return decision == null;
        }

        /** {@return true when the request may go on} */
        public boolean admitted() {
            return decision != null && decision.allowed();
        }

        /** {@return the status of a refused request: 429, or 403 when {@link #denied()}} */
        public int status() {
            return denied() ? 403 : 429;
        }

        /** {@return the {@code application/problem+json} body of a refused request (RFC 9457)} */
        public String problem() {
            Decision limited = decision;
            return limited == null ? FORBIDDEN : RateLimitHeaders.problem(limited);
        }

        /** {@return the response headers to set (see {@link RateLimitHeaders#of}); none when denied} */
        public Map<String, String> headers() {
            Decision limited = decision;
            return limited == null ? Map.of() : RateLimitHeaders.of(limited, legacyHeaders);
        }
    }

    private static final class Route {
        final String text;
        final String[] pattern;
        final RateLimiter limiter;
        final KeyResolver keyResolver;
        final Skip skip;

        Route(String text, String[] pattern, RateLimiter limiter, KeyResolver keyResolver, Skip skip) {
            this.text = text;
            this.pattern = pattern;
            this.limiter = limiter;
            this.keyResolver = keyResolver;
            this.skip = skip;
        }
    }

    /** {@return the effective settings, defaults included; the listed keys are counted, not shown} */
    public Config config() {
        return config;
    }

    private static Config config(Builder builder, AccessLists access) {
        List<RouteConfig> routes = builder.routes.stream()
                .map(r -> new RouteConfig(r.text, r.limiter.name(), r.limiter.policy(), r.keyResolver != NO_KEY, r.skip))
                .toList();
        return new Config(routes, List.copyOf(builder.excludedPatterns), builder.legacyHeaders, access.allowedAddresses(),
                access.deniedAddresses(), access.allowedKeys(), access.deniedKeys(), access.clientIpConfig());
    }

    /**
     * The effective settings of {@link RateLimitRules}.
     *
     * @param routes the routes, in the order they are tried
     * @param excluded the patterns never limited, as given
     * @param legacyHeaders whether {@code X-RateLimit-*} headers are sent too (default false)
     * @param allowedAddresses the addresses and CIDR ranges never limited
     * @param deniedAddresses the addresses and CIDR ranges refused with 403
     * @param allowedKeys how many keys are never limited (the keys themselves are not reported)
     * @param deniedKeys how many keys are refused with 403
     * @param clientIp how the address lists find the client; empty when no address list is set
     */
    public record Config(List<RouteConfig> routes, List<String> excluded, boolean legacyHeaders,
                         List<String> allowedAddresses, List<String> deniedAddresses, int allowedKeys, int deniedKeys,
                         Optional<ClientIpResolver.Config> clientIp) {
    }

    /**
     * One route of {@link Config}.
     *
     * @param pattern the path pattern, as given
     * @param limiter the name of the limiter deciding for it
     * @param policy that limiter's policy (for a {@link PerKeyPolicyRateLimiter}, its default plan's)
     * @param ownKeyResolver whether the route has a key resolver of its own (else the rules' one keys it)
     * @param skip which responses give their permits back (default {@link Skip#NONE})
     */
    public record RouteConfig(String pattern, String limiter, RateLimitPolicy policy, boolean ownKeyResolver, Skip skip) {
    }

    /** Builds {@link RateLimitRules}. Not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();
        private final List<String[]> excluded = new ArrayList<>();
        private final List<String> excludedPatterns = new ArrayList<>();
        private KeyResolver keyResolver = KeyResolver.clientIp();
        private ToIntFunction<RateLimitRequest> cost = request -> 1;
        private boolean legacyHeaders;
        private final AccessLists.Builder access = new AccessLists.Builder();

        private Builder() {
        }

        /**
         * Limits requests whose path matches {@code pattern} with {@code limiter}, keyed by the rules'
         * {@link #keyResolver(KeyResolver) key resolver}.
         *
         * @param pattern a path starting with '/': literal segments, {@code *} for one segment, a final {@code **} for any rest
         * @param limiter decides for the requests the route matches; the rules do not close it
         * @return this builder
         * @throws IllegalArgumentException when the pattern does not start with '/' or has '**' before its end
         */
        public Builder route(String pattern, RateLimiter limiter) {
            return route(pattern, limiter, NO_KEY);
        }

        /**
         * Like {@link #route(String, RateLimiter)} with its own key resolver (the rules' one when it answers null).
         *
         * @param pattern the path pattern, as for {@link #route(String, RateLimiter)}
         * @param limiter decides for the requests the route matches
         * @param keyResolver keys this route's requests; when it answers null the rules' resolver is asked
         * @return this builder
         */
        public Builder route(String pattern, RateLimiter limiter, KeyResolver keyResolver) {
            return route(pattern, limiter, keyResolver, Skip.NONE);
        }

        /**
         * Like {@link #route(String, RateLimiter, KeyResolver, Skip)} keyed by the rules' key resolver.
         *
         * @param pattern the path pattern, as for {@link #route(String, RateLimiter)}
         * @param limiter decides for the requests the route matches
         * @param skip which responses give their permits back
         * @return this builder
         */
        public Builder route(String pattern, RateLimiter limiter, Skip skip) {
            return route(pattern, limiter, NO_KEY, skip);
        }

        /**
         * Like {@link #route(String, RateLimiter, KeyResolver)}, giving back the permits of the responses
         * {@code skip} names once they are known (for example {@link Skip#SUCCESSFUL} on a login route:
         * only failed attempts count).
         *
         * @param pattern the path pattern, as for {@link #route(String, RateLimiter)}
         * @param limiter decides for the requests the route matches
         * @param keyResolver keys this route's requests; when it answers null the rules' resolver is asked
         * @param skip which responses give their permits back
         * @return this builder
         */
        public Builder route(String pattern, RateLimiter limiter, KeyResolver keyResolver, Skip skip) {
            Objects.requireNonNull(limiter, "limiter");
            Objects.requireNonNull(keyResolver, "keyResolver");
            Objects.requireNonNull(skip, "skip");
            routes.add(new Route(pattern, parse(pattern), limiter, keyResolver, skip));
            return this;
        }

        /**
         * Never limits requests whose path matches {@code pattern} (checked before the routes).
         *
         * @param pattern a path pattern, as for {@link #route(String, RateLimiter)}
         * @return this builder
         */
        public Builder exclude(String pattern) {
            excluded.add(parse(pattern));
            excludedPatterns.add(pattern);
            return this;
        }

        /**
         * How requests are keyed (default {@link KeyResolver#clientIp()}: the socket address).
         *
         * @param keyResolver keys every route without a resolver of its own; must be thread-safe
         * @return this builder
         */
        public Builder keyResolver(KeyResolver keyResolver) {
            this.keyResolver = Objects.requireNonNull(keyResolver, "keyResolver");
            return this;
        }

        /**
         * The permits a request takes (default 1), for example a batch size read from the request. A
         * cost above the smallest capacity of the route's policy takes that capacity (so an oversized
         * batch still counts in full); a cost of 0 or less takes nothing but is still told whether one
         * permit is left (a rejection when none is).
         *
         * @param cost the permits of a request; called once per routed request, from any thread
         * @return this builder
         */
        public Builder cost(ToIntFunction<RateLimitRequest> cost) {
            this.cost = Objects.requireNonNull(cost, "cost");
            return this;
        }

        /**
         * Never limits routed requests from these addresses or CIDR ranges (your monitoring, an internal
         * service). The client's address is found by {@link #clientIp(ClientIpResolver)}.
         *
         * @param addresses IPv4 or IPv6 addresses or CIDR ranges, such as {@code 10.0.0.0/8}
         * @return this builder
         * @throws IllegalArgumentException when one is not an IP address or range
         */
        public Builder allowAddresses(String... addresses) {
            access.addresses(access.allowedAddresses, "allowAddresses", addresses);
            return this;
        }

        /**
         * Refuses routed requests from these addresses or CIDR ranges with {@code 403 Forbidden}, before
         * any limiter is asked; a deny list wins over an allow list.
         *
         * @param addresses IPv4 or IPv6 addresses or CIDR ranges, such as {@code 203.0.113.0/24}
         * @return this builder
         * @throws IllegalArgumentException when one is not an IP address or range
         */
        public Builder denyAddresses(String... addresses) {
            access.addresses(access.deniedAddresses, "denyAddresses", addresses);
            return this;
        }

        /**
         * Never limits routed requests whose key (as resolved for the route, for example
         * {@code user:alice} or {@link KeyResolver#apiKeyOf(String)}) is one of these.
         *
         * @param keys resolved keys, with their type prefix; none null or empty
         * @return this builder
         */
        public Builder allowKeys(String... keys) {
            access.keys(access.allowedKeys, "allowKeys", keys);
            return this;
        }

        /**
         * Refuses routed requests whose key is one of these with {@code 403 Forbidden}; wins over allow lists.
         *
         * @param keys resolved keys, with their type prefix; none null or empty
         * @return this builder
         */
        public Builder denyKeys(String... keys) {
            access.keys(access.deniedKeys, "denyKeys", keys);
            return this;
        }

        /**
         * How the address lists find the client (default: the rules' {@link #keyResolver key resolver}
         * when it is a {@link ClientIpResolver}; otherwise this must be set when address lists are used,
         * so that a list is never matched against a proxy's address by mistake).
         *
         * @param resolver finds the client's address for the address lists
         * @return this builder
         */
        public Builder clientIp(ClientIpResolver resolver) {
            access.clientIp = Objects.requireNonNull(resolver, "clientIp");
            return this;
        }

        /**
         * Also send {@code X-RateLimit-Limit/Remaining/Reset} (default false).
         *
         * @param legacyHeaders true to send the {@code X-RateLimit-*} headers as well as the standard ones
         * @return this builder
         */
        public Builder legacyHeaders(boolean legacyHeaders) {
            this.legacyHeaders = legacyHeaders;
            return this;
        }

        /**
         * Builds the rules.
         *
         * @return immutable, thread-safe rules
         * @throws IllegalStateException when no route was added, or address lists are used without a
         *     {@link #clientIp(ClientIpResolver) client IP resolver}
         */
        public RateLimitRules build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("add at least one route(...) before build()");
            }
            return new RateLimitRules(this);
        }

        private static String[] parse(String pattern) {
            Objects.requireNonNull(pattern, "pattern");
            if (!pattern.startsWith("/")) {
                throw Arguments.invalid("pattern", "a path starting with '/'", "'" + pattern + "'");
            }
            String[] segments = segments(pattern, false);
            for (int i = 0; i < segments.length - 1; i++) {
                if (segments[i].equals("**")) {
                    throw new IllegalArgumentException("'**' may only end a path pattern: " + pattern);
                }
            }
            return segments;
        }
    }
}
