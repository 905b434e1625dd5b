package dev.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    @Test
    void hstsGoesOnlyOnSecureRequestsUnlessAProxyTerminatesTls() {
        assertThat(SecurityHeaders.defaults().headersFor("/", false)).doesNotContainKey(SecurityHeaders.HSTS);
        assertThat(SecurityHeaders.defaults().headersFor("/", true))
                .containsEntry(SecurityHeaders.HSTS, "max-age=31536000; includeSubDomains");
        assertThat(SecurityHeaders.builder().tlsTerminatedByProxy(true).build().headersFor("/", false))
                .containsKey(SecurityHeaders.HSTS);
    }

    @Test
    void theLongestMatchingRoutePrefixWinsOnSegmentBoundaries() {
        SecurityHeaders docs = SecurityHeaders.builder().referrerPolicy("same-origin").build();
        SecurityHeaders api = SecurityHeaders.builder().referrerPolicy("origin").build();
        SecurityHeaders headers = SecurityHeaders.builder().route("/docs", docs).route("/docs/api", api).build();

        assertThat(headers.headersFor("/docs/api/x", false)).containsEntry(SecurityHeaders.REFERRER_POLICY, "origin");
        assertThat(headers.headersFor("/docs", false)).containsEntry(SecurityHeaders.REFERRER_POLICY, "same-origin");
        assertThat(headers.headersFor("/docsx", false)).containsEntry(SecurityHeaders.REFERRER_POLICY, "no-referrer");
    }

    @Test
    void omittedHeadersAreNotSent() {
        assertThat(SecurityHeaders.builder().omit("x-frame-options").build().headersFor("/", true))
                .doesNotContainKey(SecurityHeaders.FRAME_OPTIONS).hasSize(5);
    }

    @Test
    void badValuesAreRejectedNamingTheParameter() {
        SecurityHeaders.Builder builder = SecurityHeaders.builder();

        assertThatThrownBy(() -> builder.frameOptions("ALLOW-FROM x")).hasMessageStartingWith("option must be DENY or SAMEORIGIN");
        assertThatThrownBy(() -> builder.referrerPolicy("never")).hasMessageStartingWith("policy must be one of");
        assertThatThrownBy(() -> builder.contentSecurityPolicy("a\r\nSet-Cookie: x")).hasMessageStartingWith("policy must be");
        assertThatThrownBy(() -> builder.permissionsPolicy(" ")).hasMessageStartingWith("policy must be");
        assertThatThrownBy(() -> builder.strictTransportSecurity(Duration.ofSeconds(-1), true))
                .hasMessageStartingWith("maxAge must not be negative");
        assertThatThrownBy(() -> builder.omit("Set-Cookie")).hasMessageStartingWith("header must be one of");
        assertThatThrownBy(() -> builder.route("docs", SecurityHeaders.defaults())).hasMessageStartingWith("pathPrefix must start with '/'");
        builder.route("/docs", SecurityHeaders.defaults());
        assertThatThrownBy(() -> builder.route("/docs", SecurityHeaders.defaults())).hasMessageStartingWith("pathPrefix given twice");
    }
}
