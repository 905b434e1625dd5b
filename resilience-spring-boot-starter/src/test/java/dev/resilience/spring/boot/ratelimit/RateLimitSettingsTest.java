package dev.resilience.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.ratelimit.ClientIpResolver;
import dev.resilience.ratelimit.FallbackMode;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.LoginOutagePolicy;
import dev.resilience.ratelimit.LoginProtection;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimitServletFilter;
import dev.resilience.ratelimit.RedisBackend;
import dev.resilience.ratelimit.RedisRateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Each {@code resilience.ratelimit.*} key of the starter README's "Rate limiting" block, set and absent: the
 * effective setting is read from the component's {@code config()} (or, where no record shows it, from what
 * the filter does), and the absent key gives the README's default. Redis is a port nobody listens on: the
 * backend connects in the background, so the limiters are built without a server.
 */
class RateLimitSettingsTest {

    private static final String[] REDIS = {"spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1"};

    private static final String[] API = {
        "resilience.ratelimit.limiters.api.limits.perMinute.permits=3",
        "resilience.ratelimit.limiters.api.limits.perMinute.window=1m"};

    private static final String[] API_ROUTE = {
        "resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=api"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceRateLimitAutoConfiguration.class));

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceRateLimitAutoConfiguration.class))
            .withPropertyValues(API).withPropertyValues(API_ROUTE);

    @Test
    void redisLimiterSettingsGlobalAndPerLimiterReachTheLimiters() {
        runner.withPropertyValues(REDIS).withPropertyValues(API).withPropertyValues(
                "resilience.ratelimit.fallback-mode=fail-closed", "resilience.ratelimit.instances=4",
                "resilience.ratelimit.redis.key-prefix=orders:rl:", "resilience.ratelimit.redis.command-timeout=75ms",
                "resilience.ratelimit.redis.connect-timeout=2s",
                "resilience.ratelimit.limiters.partner.limits.burst.algorithm=token-bucket",
                "resilience.ratelimit.limiters.partner.limits.burst.capacity=20",
                "resilience.ratelimit.limiters.partner.limits.burst.permits=10",
                "resilience.ratelimit.limiters.partner.limits.burst.window=1s",
                "resilience.ratelimit.limiters.partner.fallback-mode=fail-open",
                "resilience.ratelimit.limiters.partner.instances=2").run(context -> {
                    RedisRateLimiter.Config api = redisConfig(context, "api");
                    assertThat(api.fallbackMode()).isEqualTo(FallbackMode.FAIL_CLOSED);
                    assertThat(api.fallbackShare()).as("1/instances").isEqualTo(0.25);
                    assertThat(api.keyPrefix()).isEqualTo("orders:rl:");
                    assertThat(api.redis().commandTimeout()).isEqualTo(Duration.ofMillis(75));
                    assertThat(api.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(2));

                    RedisRateLimiter.Config partner = redisConfig(context, "partner");
                    assertThat(partner.fallbackMode()).as("this limiter's own").isEqualTo(FallbackMode.FAIL_OPEN);
                    assertThat(partner.fallbackShare()).as("this limiter's own instances").isEqualTo(0.5);
                    assertThat(partner.policy().limits()).containsExactly(Limit.tokenBucket("burst", 20, 10, Duration.ofSeconds(1)));
                });
    }

    @Test
    void redisLimiterDefaults() {
        runner.withPropertyValues(REDIS).withPropertyValues(API).withPropertyValues(
                "resilience.ratelimit.limiters.partner.limits.burst.algorithm=token-bucket",
                "resilience.ratelimit.limiters.partner.limits.burst.permits=10",
                "resilience.ratelimit.limiters.partner.limits.burst.window=1s").run(context -> {
                    RedisRateLimiter.Config api = redisConfig(context, "api");
                    assertThat(api.fallbackMode()).isEqualTo(FallbackMode.LOCAL_FALLBACK);
                    assertThat(api.fallbackShare()).as("instances 1").isEqualTo(1.0);
                    assertThat(api.keyPrefix()).isEqualTo("rl:");
                    assertThat(api.redis().commandTimeout()).isEqualTo(Duration.ofMillis(50));
                    assertThat(api.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(redisConfig(context, "partner").policy().limits()).as("capacity defaults to permits")
                            .containsExactly(Limit.tokenBucket("burst", 10, 10, Duration.ofSeconds(1)));
                    assertThat(context.getBean(LoginProtection.class).config().store()).startsWith("redis");
                });
    }

    @Test
    void redisEnabledFalseKeepsLimitersAndLoginInMemoryEvenWithSpringDataRedis() {
        runner.withPropertyValues(REDIS).withPropertyValues(API).withPropertyValues("resilience.ratelimit.redis.enabled=false")
                .run(context -> {
                    assertThat(context.getBean(RateLimiters.class).get("api")).isInstanceOf(InMemoryRateLimiter.class);
                    assertThat(context.getBean(LoginProtection.class).config().store()).isEqualTo("memory");
                });
        runner.withPropertyValues(REDIS).withPropertyValues(API).run(context -> {
            assertThat(context).hasSingleBean(RedisBackend.class);
            assertThat(context.getBean(RateLimiters.class).get("api")).as("redis.enabled defaults to true").isInstanceOf(RedisRateLimiter.class);
        });
    }

    @Test
    void everyLoginKeyReachesLoginProtection() {
        runner.withPropertyValues(REDIS).withPropertyValues(
                "resilience.ratelimit.login.max-failures=3", "resilience.ratelimit.login.max-failures-per-address=30",
                "resilience.ratelimit.login.max-failures-per-username=100", "resilience.ratelimit.login.window=10m",
                "resilience.ratelimit.login.block-duration=30m", "resilience.ratelimit.login.growing-blocks-max=4h",
                "resilience.ratelimit.login.outage-policy=fail-closed", "resilience.ratelimit.login.instances=3",
                "resilience.ratelimit.login.key-prefix=orders:login:", "resilience.ratelimit.instances=7").run(context -> {
                    LoginProtection.Config login = context.getBean(LoginProtection.class).config();
                    assertThat(login.maxFailures()).isEqualTo(3);
                    assertThat(login.maxFailuresPerAddress()).isEqualTo(30);
                    assertThat(login.maxFailuresPerUsername()).isEqualTo(100);
                    assertThat(login.window()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(login.blockDuration()).isEqualTo(Duration.ofMinutes(30));
                    assertThat(login.maxBlockMultiple()).as("4h / 30m").isEqualTo(8);
                    assertThat(login.outagePolicy()).isEqualTo(LoginOutagePolicy.FAIL_CLOSED);
                    assertThat(login.instances()).as("its own, over resilience.ratelimit.instances").isEqualTo(3);
                    assertThat(login.keyPrefix()).isEqualTo("orders:login:");
                });
        runner.withPropertyValues("resilience.ratelimit.instances=7")
                .run(context -> assertThat(context.getBean(LoginProtection.class).config().instances())
                        .as("login.instances falls back to resilience.ratelimit.instances").isEqualTo(7));
        runner.run(context -> {
            LoginProtection.Config login = context.getBean(LoginProtection.class).config();
            assertThat(login.maxFailures()).isEqualTo(5);
            assertThat(login.maxFailuresPerAddress()).isEqualTo(50);
            assertThat(login.maxFailuresPerUsername()).as("not counted").isZero();
            assertThat(login.window()).isEqualTo(Duration.ofMinutes(15));
            assertThat(login.blockDuration()).isEqualTo(Duration.ofMinutes(15));
            assertThat(login.maxBlockMultiple()).as("every block lasts block-duration").isEqualTo(1);
            assertThat(login.outagePolicy()).isEqualTo(LoginOutagePolicy.LOCAL_SHARE);
            assertThat(login.instances()).isEqualTo(1);
            assertThat(login.keyPrefix()).isEqualTo("login:");
            assertThat(login.store()).as("no spring.data.redis").isEqualTo("memory");
        });
    }

    @Test
    void filterEnabledAndUrlPatterns() {
        web.withPropertyValues("resilience.ratelimit.filter.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean("rateLimitFilter").doesNotHaveBean(RateLimitRules.class);
            assertThat(context).hasSingleBean(RateLimiters.class);
        });
        web.withPropertyValues("resilience.ratelimit.filter.url-patterns=/api/*,/auth/*")
                .run(context -> assertThat(registration(context).getUrlPatterns()).containsExactly("/api/*", "/auth/*"));
        web.run(context -> assertThat(registration(context).getUrlPatterns()).as("default").containsExactly("/*"));
    }

    @Test
    void legacyHeadersAccessListsAndClientIpSettingsReachTheRules() {
        web.withPropertyValues("resilience.ratelimit.filter.legacy-headers=true",
                "resilience.ratelimit.filter.allow-addresses=10.1.0.0/16", "resilience.ratelimit.filter.deny-addresses=192.0.2.7",
                "resilience.ratelimit.filter.client-ip.ipv6-prefix=56").run(context -> {
                    RateLimitRules.Config rules = context.getBean(RateLimitRules.class).config();
                    assertThat(rules.legacyHeaders()).isTrue();
                    assertThat(rules.allowedAddresses()).containsExactly("10.1.0.0/16");
                    assertThat(rules.deniedAddresses()).as("normalised to CIDR").containsExactly("192.0.2.7/32");
                    assertThat(rules.clientIp()).map(ClientIpResolver.Config::ipv6Prefix).contains(56);
                    RateLimitServletFilter filter = filter(context);
                    MockHttpServletResponse first = call(filter, "10.0.0.1", request -> { });
                    assertThat(first.getHeader("X-RateLimit-Limit")).as("legacy headers").isNotNull();
                    assertThat(call(filter, "192.0.2.7", request -> { }).getStatus()).as("denied").isEqualTo(403);
                    for (int i = 0; i < 5; i++) {
                        assertThat(call(filter, "10.1.2.3", request -> { }).getStatus()).as("allowed: never limited").isEqualTo(200);
                    }
                });
        web.run(context -> {
            RateLimitRules.Config rules = context.getBean(RateLimitRules.class).config();
            assertThat(rules.legacyHeaders()).isFalse();
            assertThat(rules.allowedAddresses()).isEmpty();
            assertThat(rules.deniedAddresses()).isEmpty();
            assertThat(rules.routes().get(0).skip()).isEqualTo(RateLimitRules.Skip.NONE);
            assertThat(call(filter(context), "10.0.0.1", request -> { }).getHeader("X-RateLimit-Limit")).isNull();
        });
        // the rules show the client address settings when an address list needs them
        web.withPropertyValues("resilience.ratelimit.filter.deny-addresses=192.0.2.99").run(context -> {
            RateLimitRules.Config rules = context.getBean(RateLimitRules.class).config();
            assertThat(rules.clientIp()).map(ClientIpResolver.Config::ipv6Prefix).contains(64);
            assertThat(rules.clientIp()).map(ClientIpResolver.Config::trustedProxies).contains(List.of());
        });
    }

    @Test
    void aRouteKeyedByApiKeyUsesTheConfiguredHeader() {
        web.withPropertyValues("resilience.ratelimit.filter.routes[0].key=api-key", "resilience.ratelimit.filter.api-key-header=X-Key")
                .run(context -> {
                    RateLimitServletFilter filter = filter(context);
                    for (int i = 0; i < 3; i++) {
                        assertThat(call(filter, "10.0.0." + i, request -> request.addHeader("X-Key", "a")).getStatus()).isEqualTo(200);
                    }
                    assertThat(call(filter, "10.0.0.9", request -> request.addHeader("X-Key", "a")).getStatus())
                            .as("one count per key, whatever the address").isEqualTo(429);
                    assertThat(call(filter, "10.0.0.9", request -> request.addHeader("X-Key", "b")).getStatus()).isEqualTo(200);
                });
        web.withPropertyValues("resilience.ratelimit.filter.routes[0].key=api-key").run(context -> {
            RateLimitServletFilter filter = filter(context);
            for (int i = 0; i < 3; i++) {
                assertThat(call(filter, "10.0.0." + i, request -> request.addHeader("X-API-Key", "a")).getStatus()).isEqualTo(200);
            }
            assertThat(call(filter, "10.0.0.9", request -> request.addHeader("X-API-Key", "a")).getStatus())
                    .as("the default header X-API-Key").isEqualTo(429);
        });
    }

    @Test
    void aRouteKeyedByUserOrByRoute() {
        web.withPropertyValues("resilience.ratelimit.filter.routes[0].key=user").run(context -> {
            RateLimitServletFilter filter = filter(context);
            for (int i = 0; i < 3; i++) {
                assertThat(call(filter, "10.0.0." + i, request -> request.setUserPrincipal(() -> "alice")).getStatus()).isEqualTo(200);
            }
            assertThat(call(filter, "10.0.0.9", request -> request.setUserPrincipal(() -> "alice")).getStatus())
                    .as("one count per user").isEqualTo(429);
            assertThat(call(filter, "10.0.0.9", request -> request.setUserPrincipal(() -> "bob")).getStatus()).isEqualTo(200);
        });
        web.withPropertyValues("resilience.ratelimit.filter.routes[0].key=route").run(context -> {
            RateLimitServletFilter filter = filter(context);
            for (int i = 0; i < 3; i++) {
                assertThat(call(filter, "10.0.0." + i, request -> { }).getStatus()).isEqualTo(200);
            }
            assertThat(call(filter, "10.0.0.9", request -> { }).getStatus()).as("one count for the route").isEqualTo(429);
        });
    }

    @Test
    void aRouteSkippingSuccessfulResponsesCountsOnlyFailures() {
        web.withPropertyValues("resilience.ratelimit.filter.routes[0].skip=successful").run(context -> {
            assertThat(context.getBean(RateLimitRules.class).config().routes().get(0).skip()).isEqualTo(RateLimitRules.Skip.SUCCESSFUL);
            RateLimitServletFilter filter = filter(context);
            for (int i = 0; i < 5; i++) {
                assertThat(call(filter, "10.0.0.1", request -> { }).getStatus()).as("successful: not counted").isEqualTo(200);
            }
        });
    }

    private static RedisRateLimiter.Config redisConfig(ApplicationContext context, String name) {
        return ((RedisRateLimiter) context.getBean(RateLimiters.class).get(name)).config();
    }

    private static FilterRegistrationBean<?> registration(ApplicationContext context) {
        return (FilterRegistrationBean<?>) context.getBean("rateLimitFilter");
    }

    private static RateLimitServletFilter filter(ApplicationContext context) {
        return (RateLimitServletFilter) registration(context).getFilter();
    }

    private static MockHttpServletResponse call(RateLimitServletFilter filter, String remote, Consumer<MockHttpServletRequest> customizer)
            throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/orders");
        request.setServletPath("/api/orders");
        request.setRemoteAddr(remote);
        customizer.accept(request);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
