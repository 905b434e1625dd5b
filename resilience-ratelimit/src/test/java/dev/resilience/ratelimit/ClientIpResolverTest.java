package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientIpResolverTest {

    private final ClientIpResolver behindProxy = ClientIpResolver.builder().trustedProxies("10.0.0.0/8", "::1").build();

    @Test
    void spoofedForwardedForFromAnUntrustedClientIsIgnored() {
        String key = behindProxy.resolve(FakeRequest.from("203.0.113.9").header("X-Forwarded-For", "1.2.3.4"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "198.51.100.7"));

        assertThat(key).isEqualTo("ip:198.51.100.7");
    }

    @Test
    void takesTheRightmostUntrustedHopNotWhatTheClientPrepended() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("X-Forwarded-For", "6.6.6.6, 198.51.100.7, 10.0.0.3"));

        assertThat(key).isEqualTo("ip:198.51.100.7");
    }

    @Test
    void readsEveryForwardedForHeaderLineInOrder() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-For", "198.51.100.7"));

        assertThat(key).isEqualTo("ip:198.51.100.7");
    }

    @Test
    void prefersTheStandardForwardedHeaderWithQuotedIpv6AndPorts() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("Forwarded", "for=6.6.6.6, for=\"[2001:db8:cafe:1::17]:4711\";proto=https, for=10.0.0.9:80")
                .header("X-Forwarded-For", "9.9.9.9"));

        assertThat(key).isEqualTo("ip:2001:db8:cafe:1:0:0:0:0/64");
    }

    @Test
    void aMalformedHopCountsTheRequestUnderTheProxyNotUnderMadeUpText() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "198.51.100.7, not-an-ip"));

        assertThat(key).isEqualTo("ip:10.0.0.2");
    }

    @Test
    void aHostNameInTheHeaderIsNeverResolved() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "localhost"));

        assertThat(key).isEqualTo("ip:10.0.0.2");
    }

    @Test
    void allTrustedHopsMeanTheLeftmostIsTheClient() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "10.1.1.1, 10.0.0.3"));

        assertThat(key).isEqualTo("ip:10.1.1.1");
    }

    @Test
    void groupsIpv6ClientsByTheirPrefix() {
        ClientIpResolver resolver = ClientIpResolver.builder().ipv6Prefix(48).build();

        assertThat(resolver.resolve(FakeRequest.from("2001:db8:1:2:3::4")))
                .isEqualTo(resolver.resolve(FakeRequest.from("2001:db8:1:ffff::9")))
                .isEqualTo("ip:2001:db8:1:0:0:0:0:0/48");
        assertThat(resolver.resolve(FakeRequest.from("2001:db8:2::1"))).isNotEqualTo(resolver.resolve(FakeRequest.from("2001:db8:1::1")));
    }

    @Test
    void ipv4MappedIpv6IsTheIpv4Client() {
        assertThat(KeyResolver.clientIp().resolve(FakeRequest.from("::ffff:192.0.2.1"))).isEqualTo("ip:192.0.2.1");
    }

    @Test
    void rejectsATrustedProxyThatIsNotAnAddress() {
        assertThatThrownBy(() -> ClientIpResolver.builder().trustedProxies("proxy.internal"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
        assertThatThrownBy(() -> ClientIpResolver.builder().trustedProxies("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void apiKeysAreHashedAndUsersPrefixed() {
        FakeRequest request = FakeRequest.from("1.1.1.1").header("X-API-Key", "secret-key").user("alice");

        assertThat(KeyResolver.apiKey("X-API-Key").resolve(request)).startsWith("key:").doesNotContain("secret");
        assertThat(KeyResolver.user().resolve(request)).isEqualTo("user:alice");
        assertThat(KeyResolver.user().orElse(KeyResolver.clientIp()).resolve(FakeRequest.from("1.1.1.1"))).isEqualTo("ip:1.1.1.1");
    }
}
