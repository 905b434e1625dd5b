package dev.resilience.spring.boot.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.resilience.core.HealthCheck;
import dev.resilience.core.HealthStatus;
import dev.resilience.ratelimit.InMemoryRateLimiter;
import dev.resilience.ratelimit.Limit;
import dev.resilience.ratelimit.LoginProtection;
import dev.resilience.ratelimit.RateLimitPolicy;
import dev.resilience.ratelimit.RateLimitRules;
import dev.resilience.ratelimit.RateLimitServletFilter;
import dev.resilience.ratelimit.RateLimitedException;
import dev.resilience.ratelimit.RateLimiter;
import dev.resilience.ratelimit.RedisBackend;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The rate limit auto-configuration without Redis: limiters in memory, the filter, login protection, @RateLimited. */
class ResilienceRateLimitAutoConfigurationTest {

    private static final String[] API_LIMITER = {
        "resilience.ratelimit.limiters.api.limits.perMinute.permits=3",
        "resilience.ratelimit.limiters.api.limits.perMinute.window=1m",
        "resilience.ratelimit.limiters.api.limits.perHour.algorithm=fixed-window",
        "resilience.ratelimit.limiters.api.limits.perHour.permits=100",
        "resilience.ratelimit.limiters.api.limits.perHour.window=1h"};

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceRateLimitAutoConfiguration.class, AopAutoConfiguration.class));

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceRateLimitAutoConfiguration.class));

    @Test
    void limitersComeFromPropertiesAndCountInMemoryWithoutRedis() {
        runner.withPropertyValues(API_LIMITER).run(context -> {
            assertThat(context).doesNotHaveBean(RedisBackend.class);
            RateLimiter api = context.getBean(RateLimiters.class).get("api");
            assertThat(api).isInstanceOf(InMemoryRateLimiter.class);
            assertThat(api.policy().limits()).containsExactly(
                    Limit.slidingWindow("perMinute", 3, Duration.ofMinutes(1)), Limit.fixedWindow("perHour", 100, Duration.ofHours(1)));
            assertThat(api.tryAcquire("k", 3).allowed()).isTrue();
            assertThat(api.tryAcquire("k", 1).allowed()).isFalse();
            assertThat(context.getBean("rateLimitersHealthCheck", HealthCheck.class).check().status()).isEqualTo(HealthStatus.UP);
        });
    }

    @Test
    void aLimiterWithoutWindowFailsNamingTheProperty() {
        runner.withPropertyValues("resilience.ratelimit.limiters.api.limits.perMinute.permits=3")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("resilience.ratelimit.limiters.api.limits.perMinute.window is missing"));
    }

    @Test
    void theFilterLimitsItsRoutesByClientAddress() {
        web.withPropertyValues(API_LIMITER)
                .withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=api",
                        "resilience.ratelimit.filter.exclude[0]=/api/health", "resilience.ratelimit.filter.order=5")
                .run(context -> {
                    @SuppressWarnings("unchecked")
                    FilterRegistrationBean<RateLimitServletFilter> registration = context.getBean("rateLimitFilter", FilterRegistrationBean.class);
                    assertThat(registration.getOrder()).isEqualTo(5);
                    assertThat(registration.getUrlPatterns()).containsExactly("/*");
                    RateLimitServletFilter filter = registration.getFilter();
                    for (int i = 0; i < 3; i++) {
                        assertThat(call(filter, "/api/orders", "10.0.0.1", null)).isEqualTo(200);
                    }
                    assertThat(call(filter, "/api/orders", "10.0.0.1", null)).isEqualTo(429);
                    assertThat(call(filter, "/api/orders", "10.0.0.2", null)).as("another client has its own count").isEqualTo(200);
                    assertThat(call(filter, "/api/health", "10.0.0.1", null)).as("excluded").isEqualTo(200);
                    assertThat(call(filter, "/other", "10.0.0.1", null)).as("no route").isEqualTo(200);
                });
    }

    @Test
    void aTrustedProxysHeaderNamesTheClientAndAnUntrustedPeersIsIgnored() {
        web.withPropertyValues(API_LIMITER)
                .withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=api",
                        "resilience.ratelimit.filter.client-ip.trusted-proxies=10.9.0.0/16",
                        "resilience.ratelimit.filter.client-ip.proxy-header=X-Forwarded-For")
                .run(context -> {
                    RateLimitServletFilter filter = filter(context);
                    for (int i = 0; i < 3; i++) {
                        assertThat(call(filter, "/api/x", "10.9.0.1", "203.0.113.7")).isEqualTo(200);
                    }
                    assertThat(call(filter, "/api/x", "10.9.0.1", "203.0.113.7")).isEqualTo(429);
                    assertThat(call(filter, "/api/x", "10.9.0.1", "203.0.113.8")).as("the proxy vouches for another client").isEqualTo(200);
                    for (int i = 0; i < 3; i++) {
                        assertThat(call(filter, "/api/x", "198.51.100.1", "203.0.113." + (100 + i))).isEqualTo(200);
                    }
                    assertThat(call(filter, "/api/x", "198.51.100.1", "203.0.113.200"))
                            .as("an untrusted client's spoofed header does not change its key").isEqualTo(429);
                });
    }

    @Test
    void trustedProxiesWithoutAProxyHeaderFailTheContextNamingTheProperty() {
        web.withPropertyValues(API_LIMITER)
                .withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=api",
                        "resilience.ratelimit.filter.client-ip.trusted-proxies=10.0.0.0/8")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("resilience.ratelimit.filter.client-ip"));
    }

    @Test
    void aRouteNamingAnUnknownLimiterFailsNamingTheProperty() {
        web.withPropertyValues(API_LIMITER)
                .withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=apii")
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("resilience.ratelimit.filter.routes[0].limiter names no configured limiter: 'apii'"));
    }

    @Test
    void noFilterWithoutRoutesOrOutsideAServletApplication() {
        web.withPropertyValues(API_LIMITER).run(context -> {
            assertThat(context).doesNotHaveBean("rateLimitFilter");
            assertThat(context).hasSingleBean(RateLimiters.class);
        });
        runner.withPropertyValues(API_LIMITER).withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**",
                "resilience.ratelimit.filter.routes[0].limiter=api").run(context -> assertThat(context).doesNotHaveBean("rateLimitFilter"));
    }

    @Test
    void theApplicationsOwnBeansWin() {
        web.withPropertyValues(API_LIMITER)
                .withPropertyValues("resilience.ratelimit.filter.routes[0].path=/api/**", "resilience.ratelimit.filter.routes[0].limiter=api")
                .withUserConfiguration(OwnBeans.class)
                .run(context -> {
                    assertThat(context.getBean(RateLimiters.class).names()).containsExactly("own");
                    assertThat(context.getBean(RateLimitRules.class)).isSameAs(context.getBean("ownRules"));
                    assertThat(context.getBean(LoginProtection.class)).isSameAs(context.getBean("ownLogin"));
                    RateLimitServletFilter filter = filter(context);
                    assertThat(call(filter, "/own", "10.0.0.1", null)).isEqualTo(200);
                    assertThat(call(filter, "/own", "10.0.0.1", null)).as("the application's rules and limiter").isEqualTo(429);
                });
    }

    @Test
    void loginProtectionIsABeanUnlessDisabled() {
        runner.withPropertyValues("resilience.ratelimit.login.max-failures=2").run(context -> {
            LoginProtection protection = context.getBean(LoginProtection.class);
            protection.attempt("alice", "10.0.0.1").failed();
            protection.attempt("alice", "10.0.0.1").failed();
            assertThat(protection.attempt("alice", "10.0.0.1").blocked()).isTrue();
        });
        runner.withPropertyValues("resilience.ratelimit.login.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(LoginProtection.class));
    }

    @Test
    void nothingRunsWhenDisabledOrWithoutTheModule() {
        runner.withPropertyValues("resilience.ratelimit.enabled=false").withPropertyValues(API_LIMITER)
                .run(context -> assertThat(context).doesNotHaveBean(RateLimiters.class));
        runner.withClassLoader(new FilteredClassLoader(RateLimiter.class)).withPropertyValues(API_LIMITER)
                .run(context -> assertThat(context).doesNotHaveBean(RateLimiters.class));
    }

    @Test
    void rateLimitedMethodsRunOnlyWhenTheirLimiterAdmitsThem() {
        runner.withPropertyValues(API_LIMITER).withUserConfiguration(PartnerConfig.class).run(context -> {
            Partner partner = context.getBean(Partner.class);
            assertThat(partner.call()).isEqualTo("called");
            assertThat(partner.call()).isEqualTo("called");
            assertThat(partner.call()).isEqualTo("called");
            assertThatThrownBy(partner::call).isInstanceOf(RateLimitedException.class)
                    .hasMessageContaining("Rate limiter 'api' rejected the call (limit perMinute)");
            assertThat(partner.calls()).isEqualTo(3);

            CompletionStage<String> rejected = partner.callAsync();
            assertThat(rejected.toCompletableFuture()).isCompletedExceptionally();
            assertThatThrownBy(() -> rejected.toCompletableFuture().get()).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RateLimitedException.class);
            assertThat(partner.calls()).isEqualTo(3);
            assertThat(partner.unlimited()).isEqualTo("free");
        });
    }

    @Test
    void aRateLimitedNamingAnUnknownLimiterFailsStartUpNamingBeanMethodAndProperty() {
        runner.withPropertyValues(API_LIMITER).withUserConfiguration(TypoConfig.class)
                .run(context -> assertThat(messages(context.getStartupFailure()))
                        .contains("@RateLimited(\"apu\") on bean 'typo'")
                        .contains(Typo.class.getName() + ".call()")
                        .contains("resilience.ratelimit.limiters.apu"));
    }

    /** Every message of the failure and its causes, so a test need not know at which depth Spring wraps it. */
    private static String messages(Throwable failure) {
        assertThat(failure).as("the context failed").isNotNull();
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return text.toString();
    }

    private static int call(RateLimitServletFilter filter, String path, String remote, String forwardedFor) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setServletPath(path);
        request.setRemoteAddr(remote);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    private static RateLimitServletFilter filter(org.springframework.context.ApplicationContext context) {
        return (RateLimitServletFilter) ((FilterRegistrationBean<?>) context.getBean("rateLimitFilter")).getFilter();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        RateLimiters ownLimiters() {
            return new RateLimiters(Map.of("own", InMemoryRateLimiter.builder("own",
                    RateLimitPolicy.of(Limit.fixedWindow("one", 1, Duration.ofMinutes(1)))).build()));
        }

        @Bean
        RateLimitRules ownRules(RateLimiters limiters) {
            return RateLimitRules.builder().route("/own", limiters.get("own")).build();
        }

        @Bean
        LoginProtection ownLogin() {
            return LoginProtection.builder().build();
        }
    }

    /** A client of a partner API that allows few calls. */
    static class Partner {
        private int calls;

        public int calls() {
            return calls;
        }

        @RateLimited("api")
        public String call() {
            calls++;
            return "called";
        }

        @RateLimited("api")
        public CompletionStage<String> callAsync() {
            calls++;
            return CompletableFuture.completedFuture("called");
        }

        public String unlimited() {
            return "free";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PartnerConfig {
        @Bean
        Partner partner() {
            return new Partner();
        }
    }

    static class Typo {
        @RateLimited("apu")
        public String call() {
            return "x";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TypoConfig {
        @Bean
        Typo typo() {
            return new Typo();
        }
    }
}
