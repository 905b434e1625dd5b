package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.ratelimit.internal.Keys;
import dev.resilience.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimitRulesTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryRateLimiter api = InMemoryRateLimiter.builder("api",
            RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)))).clock(clock).build();
    private final InMemoryRateLimiter login = InMemoryRateLimiter.builder("login",
            RateLimitPolicy.of(Limit.slidingWindow("login", 5, Duration.ofMinutes(15)))).clock(clock).build();
    private final RateLimitRules rules = RateLimitRules.builder()
            .exclude("/api/health")
            .route("/auth/login", login)
            .route("/api/**", api)
            .build();

    @Test
    void firstMatchingRouteDecides() {
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/auth/login")).limiter()).isSameAs(login);
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/v1/items")).limiter()).isSameAs(api);
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/api")).limiter()).isSameAs(api);
    }

    @Test
    void excludedAndUnmatchedPathsAreNotLimited() {
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/health"))).isNull();
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/auth/login/extra"))).isNull();
        assertThat(rules.evaluate(FakeRequest.from("1.1.1.1").path("/static/app.js"))).isNull();
    }

    @Test
    void everySpellingOfALimitedPathMatchesItsRoute() {
        for (String spelling : new String[] {"/auth/login;a=b", "/auth;x=1/login", "/auth//login", "//auth/login/", "/auth/./login",
                "/x/../auth/login", "/../auth/login"}) {
            RateLimitRules.Outcome outcome = rules.evaluate(FakeRequest.from("1.1.1.1").path(spelling));

            assertThat(outcome).as(spelling).isNotNull();
            assertThat(outcome.limiter()).as(spelling).isSameAs(login);
        }
    }

    @Test
    void aRouteMatchingTheHandlersMountPathLimitsEverythingThatHandlerServes() {
        for (String served : new String[] {"/auth/loginx", "/auth/login/x", "/auth/login/../../health"}) {
            RateLimitRules.Outcome outcome = rules.evaluate(FakeRequest.from("1.1.1.1").path(served).handlerPath("/auth/login"));

            assertThat(outcome).as(served).isNotNull();
            assertThat(outcome.limiter()).as(served).isSameAs(login);
        }
    }

    @Test
    void anExclusionAppliesOnlyWhenBothReadingsOfThePathMatchIt() {
        RateLimitRules withHealth = RateLimitRules.builder().exclude("/health").route("/**", api).build();

        assertThat(withHealth.evaluate(FakeRequest.from("1.1.1.1").path("/health;x=1"))).isNull();
        assertThat(withHealth.evaluate(FakeRequest.from("1.1.1.1").path("/auth/login/../../health"))).isNotNull();
        assertThat(withHealth.evaluate(FakeRequest.from("1.1.1.1").path("/health/../auth/login"))).isNotNull();
    }

    @Test
    void anExclusionInsideALimitedMountStillApplies() {
        RateLimitRules mounted = RateLimitRules.builder().exclude("/api/health").route("/api/**", api).build();

        assertThat(mounted.evaluate(FakeRequest.from("1.1.1.1").path("/api/health").handlerPath("/api"))).isNull();
        assertThat(mounted.evaluate(FakeRequest.from("1.1.1.1").path("/apix").handlerPath("/api"))).isNotNull();
    }

    @Test
    void aRequestTakesThePermitsItsCostSaysCappedAtTheCapacity() {
        RateLimitRules batches = RateLimitRules.builder().route("/api/**", api)
                .cost(request -> Integer.parseInt(request.header("X-Batch-Size"))).build();

        Decision sixty = batches.evaluate(FakeRequest.from("1.1.1.1").path("/api/batch").header("X-Batch-Size", "60")).decision();
        Decision another = batches.evaluate(FakeRequest.from("1.1.1.1").path("/api/batch").header("X-Batch-Size", "60")).decision();
        Decision huge = batches.evaluate(FakeRequest.from("2.2.2.2").path("/api/batch").header("X-Batch-Size", "1000000")).decision();
        Decision free = batches.evaluate(FakeRequest.from("3.3.3.3").path("/api/batch").header("X-Batch-Size", "-5")).decision();

        assertThat(sixty.allowed()).isTrue();
        assertThat(sixty.remaining()).isEqualTo(40);
        assertThat(another.allowed()).isFalse();
        assertThat(huge.allowed()).isTrue();
        assertThat(huge.remaining()).isZero();
        assertThat(free.allowed()).isTrue();
        assertThat(free.remaining()).isEqualTo(100);
    }

    @Test
    void allowListedAddressesAndKeysAreNeverLimited() {
        RateLimitRules lists = RateLimitRules.builder().route("/auth/login", login)
                .keyResolver(KeyResolver.user().orElse(KeyResolver.clientIp())).clientIp(ClientIpResolver.builder().build())
                .allowAddresses("10.0.0.0/8").allowKeys("user:monitor").build();

        for (int i = 0; i < 10; i++) {
            assertThat(lists.evaluate(FakeRequest.from("10.1.2.3").path("/auth/login"))).isNull();
            assertThat(lists.evaluate(FakeRequest.from("198.51.100.1").path("/auth/login").user("monitor"))).isNull();
        }
        assertThat(lists.evaluate(FakeRequest.from("198.51.100.1").path("/auth/login").user("alice"))).isNotNull();
    }

    @Test
    void denyListedAddressesAndKeysAreRefusedAndWinOverAllowLists() {
        RateLimitRules lists = RateLimitRules.builder().route("/api/**", api)
                .keyResolver(KeyResolver.apiKey("X-API-Key").orElse(ClientIpResolver.builder().build()))
                .clientIp(ClientIpResolver.builder().build())
                .allowAddresses("203.0.113.0/24").denyAddresses("203.0.113.66").denyKeys(KeyResolver.apiKeyOf("leaked-key")).build();

        RateLimitRules.Outcome byAddress = lists.evaluate(FakeRequest.from("203.0.113.66").path("/api/items"));
        RateLimitRules.Outcome byKey = lists.evaluate(FakeRequest.from("198.51.100.1").path("/api/items").header("X-API-Key", "leaked-key"));

        assertThat(byAddress.denied()).isTrue();
        assertThat(byAddress.status()).isEqualTo(403);
        assertThat(byAddress.problem()).contains("\"status\":403");
        assertThat(byAddress.headers()).isEmpty();
        assertThat(byKey.denied()).isTrue();
        assertThat(lists.evaluate(FakeRequest.from("198.51.100.1").path("/api/items").header("X-API-Key", "good-key")).admitted()).isTrue();
        assertThat(api.tryAcquire("ip:203.0.113.66", 0).remaining()).isEqualTo(100); // no limiter was asked
    }

    @Test
    void addressListsNeedToKnowHowToFindTheClient() {
        assertThatThrownBy(() -> RateLimitRules.builder().route("/api/**", api).keyResolver(KeyResolver.user()).allowAddresses("10.0.0.0/8").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientIp");
        assertThatThrownBy(() -> RateLimitRules.builder().allowAddresses("intranet"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowAddresses").hasMessageContaining("intranet");
    }

    @Test
    void aMalformedProxyHeaderNeverPassesAnAllowListCoveringTheProxies() {
        // the internal network is never limited and holds the proxies; a request whose hop is malformed is counted
        // under the proxy's address, which must not make it an internal request admitted uncounted
        ClientIpResolver resolver = ClientIpResolver.builder().trustedProxies("10.0.0.0/8")
                .proxyHeader(ProxyHeader.forwarded()).build();
        RateLimitRules internal = RateLimitRules.builder().route("/api/**", api).keyResolver(resolver)
                .allowAddresses("10.0.0.0/8").build();

        RateLimitRules.Outcome obfuscated = internal.evaluate(FakeRequest.from("10.0.0.2").path("/api/x").header("Forwarded", "for=_hidden"));
        RateLimitRules.Outcome unknown = internal.evaluate(FakeRequest.from("10.0.0.2").path("/api/x").header("Forwarded", "for=unknown"));

        assertThat(obfuscated).isNotNull();
        assertThat(obfuscated.decision().remaining()).isEqualTo(99);
        assertThat(unknown.decision().remaining()).isEqualTo(98);
        // an internal client named by the proxy, or talking to the service directly, is still allowed
        assertThat(internal.evaluate(FakeRequest.from("10.0.0.2").path("/api/x").header("Forwarded", "for=10.20.0.7"))).isNull();
        assertThat(internal.evaluate(FakeRequest.from("10.20.0.7").path("/api/x"))).isNull();
        assertThat(internal.evaluate(FakeRequest.from("10.0.0.2").path("/api/x").header("Forwarded", "for=203.0.113.9"))
                .decision().remaining()).isEqualTo(99);
    }

    @Test
    void aRouteKeyIsTheSameForEverySpellingOfThePath() {
        // KeyResolver.route() is one key per route shared by every client: respelling the path must not give a fresh budget
        KeyResolver route = KeyResolver.route();
        String expected = route.resolve(FakeRequest.from("1.1.1.1").path("/api/report"));
        for (String spelling : new String[] {"/api//report", "/api/./report", "/api/report;jsessionid=1", "/x/../api/report",
                "/api/report/", "//api/report"}) {
            assertThat(route.resolve(FakeRequest.from("1.1.1.1").path(spelling))).as(spelling).isEqualTo(expected);
        }
        assertThat(route.resolve(FakeRequest.from("1.1.1.1").path("/api/other"))).isNotEqualTo(expected);
    }

    @Test
    void singleStarMatchesOneSegment() {
        RateLimitRules posts = RateLimitRules.builder().route("/users/*/posts", api).build();

        assertThat(posts.evaluate(FakeRequest.from("1.1.1.1").path("/users/7/posts"))).isNotNull();
        assertThat(posts.evaluate(FakeRequest.from("1.1.1.1").path("/users/7/8/posts"))).isNull();
    }

    @Test
    void headersFollowTheIetfDraft() {
        clock.advance(Duration.ofSeconds(382));

        RateLimitRules.Outcome outcome = rules.evaluate(FakeRequest.from("1.1.1.1").path("/api/x"));

        assertThat(outcome.headers()).containsEntry("RateLimit-Policy", "\"ip15m\";q=100;w=900")
                .containsEntry("RateLimit", "\"ip15m\";r=99;t=518")
                .doesNotContainKeys("Retry-After", "X-RateLimit-Limit");
    }

    @Test
    void rejectionAddsRetryAfterAndLegacyHeadersWhenAsked() {
        RateLimitRules legacy = RateLimitRules.builder().route("/**", login).legacyHeaders(true).build();
        for (int i = 0; i < 5; i++) {
            legacy.evaluate(FakeRequest.from("1.1.1.1").path("/auth/login"));
        }

        RateLimitRules.Outcome outcome = legacy.evaluate(FakeRequest.from("1.1.1.1").path("/auth/login"));

        assertThat(outcome.decision().allowed()).isFalse();
        // sliding window: the next window must begin, plus a fifth of it for the 5 earlier requests to weigh 4
        assertThat(outcome.headers()).containsEntry("Retry-After", "1080").containsEntry("X-RateLimit-Limit", "5")
                .containsEntry("X-RateLimit-Remaining", "0").containsKey("X-RateLimit-Reset");
        assertThat(RateLimitHeaders.problem(outcome.decision()))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                        + "\"detail\":\"Rate limit login exceeded: retry after 1080 s.\",\"limit\":\"login\",\"retryAfter\":1080}");
    }

    @Test
    void policyHeaderListsEveryLimit() {
        RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("ip15m", 100, Duration.ofMinutes(15)),
                Limit.slidingWindow("ip1m", 150, Duration.ofMinutes(1)));

        assertThat(RateLimitHeaders.policy(policy)).isEqualTo("\"ip15m\";q=100;w=900, \"ip1m\";q=150;w=60");
    }

    @Test
    void overLongKeysAreHashed() {
        RateLimitRules byHeader = RateLimitRules.builder().route("/**", api, request -> request.header("X-Tenant")).build();
        String huge = "t".repeat(10_000);

        byHeader.evaluate(FakeRequest.from("1.1.1.1").header("X-Tenant", huge));

        assertThat(api.tryAcquire("#" + Keys.hashed(huge)).remaining()).isEqualTo(98);
    }

    @Test
    void requestsWithoutAKeyAreCountedUnderTheirClientIp() {
        RateLimitRules byUser = RateLimitRules.builder().route("/**", api).keyResolver(KeyResolver.user()).build();

        byUser.evaluate(FakeRequest.from("1.1.1.1"));

        assertThat(api.tryAcquire("ip:1.1.1.1").remaining()).isEqualTo(98);
    }

    @Test
    void rejectsBadPatterns() {
        assertThatThrownBy(() -> RateLimitRules.builder().route("api/**", api))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api/**");
        assertThatThrownBy(() -> RateLimitRules.builder().route("/**/x", api))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'**'");
        assertThatThrownBy(() -> RateLimitRules.builder().build()).isInstanceOf(IllegalStateException.class);
    }
}
