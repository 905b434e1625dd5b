package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every component built by a builder reports its effective settings, defaults included, and no secret. */
class ConfigTest {

    private final RateLimitPolicy policy = RateLimitPolicy.of(Limit.fixedWindow("w", 10, Duration.ofMinutes(1)));

    @Test
    void inMemoryLimiterReportsItsSettingsAndDefaults() {
        assertThat(InMemoryRateLimiter.builder("api", policy).build().config())
                .isEqualTo(new InMemoryRateLimiter.Config("api", policy, 100_000));
        assertThat(InMemoryRateLimiter.builder("api", policy).maximumKeys(7).build().config().maximumKeys()).isEqualTo(7);
    }

    @Test
    void waitingLimiterReportsItsLimiterAndMaxWait() {
        InMemoryRateLimiter limiter = InMemoryRateLimiter.builder("api", policy).build();
        assertThat(WaitingRateLimiter.builder(limiter).build().config())
                .isEqualTo(new WaitingRateLimiter.Config("api", Duration.ofSeconds(1)));
        assertThat(WaitingRateLimiter.builder(limiter).maxWait(Duration.ofMillis(250)).build().config().maxWait())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void perKeyPolicyLimiterReportsThePlansAsTheyAreNow() {
        RateLimitPolicy bigger = RateLimitPolicy.of(Limit.fixedWindow("w", 100, Duration.ofMinutes(1)));
        PerKeyPolicyRateLimiter limiter = PerKeyPolicyRateLimiter.builder("plans", key -> null)
                .plan("free", InMemoryRateLimiter.builder("free", policy).build())
                .plan("pro", InMemoryRateLimiter.builder("pro", policy).build()).build();
        assertThat(limiter.config().defaultPlan()).isEqualTo("free"); // the first plan added
        assertThat(limiter.config().plans()).containsEntry("free", policy).containsEntry("pro", policy).hasSize(2);
        limiter.replace("pro", InMemoryRateLimiter.builder("pro", bigger).build());
        assertThat(limiter.config().plans()).containsEntry("pro", bigger);
    }

    @Test
    void loginProtectionReportsItsDefaults() {
        assertThat(LoginProtection.builder().build().config()).isEqualTo(new LoginProtection.Config(5, 50, 0,
                Duration.ofMinutes(15), Duration.ofMinutes(15), 1, "memory", "login:", LoginOutagePolicy.LOCAL_SHARE, 1, 100_000));
    }

    @Test
    void loginProtectionReportsTheBuiltValues() {
        LoginProtection.Config config = LoginProtection.builder().maxFailures(3).maxFailuresPerAddress(30)
                .maxFailuresPerUsername(20).window(Duration.ofMinutes(5)).blockDuration(Duration.ofMinutes(2))
                .growingBlocks(Duration.ofMinutes(8)).keyPrefix("auth:").outagePolicy(LoginOutagePolicy.FAIL_CLOSED)
                .instances(4).maximumSubjects(1000).build().config();
        assertThat(config).isEqualTo(new LoginProtection.Config(3, 30, 20, Duration.ofMinutes(5), Duration.ofMinutes(2), 4,
                "memory", "auth:", LoginOutagePolicy.FAIL_CLOSED, 4, 1000));
    }

    @Test
    void clientIpResolverReportsItsProxiesHeaderAndPrefix() {
        assertThat(ClientIpResolver.builder().build().config())
                .isEqualTo(new ClientIpResolver.Config(List.of(), Optional.empty(), 64));
        ClientIpResolver.Config config = ClientIpResolver.builder().trustedProxies("10.0.0.0/8", "127.0.0.1")
                .proxyHeader(ProxyHeader.xForwardedFor()).ipv6Prefix(56).build().config();
        assertThat(config.trustedProxies()).containsExactly("10.0.0.0/8", "127.0.0.1/32");
        assertThat(config.proxyHeader()).map(ProxyHeader::name).contains("X-Forwarded-For");
        assertThat(config.ipv6Prefix()).isEqualTo(56);
    }

    @Test
    void rulesAndFiltersReportRoutesListsAndDefaults() {
        InMemoryRateLimiter login = InMemoryRateLimiter.builder("login", policy).build();
        InMemoryRateLimiter api = InMemoryRateLimiter.builder("api", policy).build();
        RateLimitRules rules = RateLimitRules.builder()
                .route("/auth/login", login, RateLimitRules.Skip.SUCCESSFUL)
                .route("/api/**", api, KeyResolver.user())
                .exclude("/api/health").allowAddresses("192.0.2.0/24").denyKeys("user:mallory", "user:eve").build();
        RateLimitRules.Config config = rules.config();
        assertThat(config.routes()).containsExactly(
                new RateLimitRules.RouteConfig("/auth/login", "login", policy, false, RateLimitRules.Skip.SUCCESSFUL),
                new RateLimitRules.RouteConfig("/api/**", "api", policy, true, RateLimitRules.Skip.NONE));
        assertThat(config.excluded()).containsExactly("/api/health");
        assertThat(config.legacyHeaders()).isFalse();
        assertThat(config.allowedAddresses()).containsExactly("192.0.2.0/24");
        assertThat(config.deniedAddresses()).isEmpty();
        assertThat(config.allowedKeys()).isZero();
        assertThat(config.deniedKeys()).isEqualTo(2);
        assertThat(config.toString()).doesNotContain("mallory"); // keys are counted, not shown
        assertThat(config.clientIp()).contains(ClientIpResolver.builder().build().config()); // the default key resolver
        assertThat(new RateLimitHttpFilter(rules).config()).isEqualTo(config);
        assertThat(new RateLimitServletFilter(rules).config()).isEqualTo(config);
        assertThat(RateLimitRules.builder().route("/", api).legacyHeaders(true).build().config().legacyHeaders()).isTrue();
    }

    @Test
    void redisLimiterReportsItsSettingsWithoutThePassword() {
        // nothing listens on port 1: building succeeds, the limiter falls back until Redis is there
        try (RedisRateLimiter limiter = RedisRateLimiter.builder("api", policy).redisUri("redis://:s3cret@127.0.0.1:1").build()) {
            RedisRateLimiter.Config config = limiter.config();
            assertThat(config.name()).isEqualTo("api");
            assertThat(config.policy()).isEqualTo(policy);
            assertThat(config.keyPrefix()).isEqualTo("rl:");
            assertThat(config.clientTime()).isFalse();
            assertThat(config.fallbackMode()).isEqualTo(FallbackMode.LOCAL_FALLBACK);
            assertThat(config.fallbackShare()).isEqualTo(1.0);
            assertThat(config.maximumLocalKeys()).isEqualTo(100_000);
            assertThat(config.rememberRejections()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.circuitBreaker()).isEqualTo("api.redis");
            assertThat(config.ownsBackend()).isTrue();
            assertThat(config.redis().description()).contains("127.0.0.1:1");
            assertThat(config.toString()).doesNotContain("s3cret");
        }
        try (RedisRateLimiter limiter = RedisRateLimiter.builder("api", policy).redisUri("redis://127.0.0.1:1")
                .keyPrefix("svc:").clientTime(true).fallbackMode(FallbackMode.FAIL_OPEN).instances(4).maximumLocalKeys(50)
                .rememberRejections(Duration.ZERO).build()) {
            RedisRateLimiter.Config config = limiter.config();
            assertThat(config.keyPrefix()).isEqualTo("svc:");
            assertThat(config.clientTime()).isTrue();
            assertThat(config.fallbackMode()).isEqualTo(FallbackMode.FAIL_OPEN);
            assertThat(config.fallbackShare()).isEqualTo(0.25);
            assertThat(config.maximumLocalKeys()).isEqualTo(50);
            assertThat(config.rememberRejections()).isEqualTo(Duration.ZERO);
        }
    }
}
