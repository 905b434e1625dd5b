package dev.resilience.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClientIpResolverTest {

    private final ClientIpResolver behindProxy = ClientIpResolver.builder().trustedProxies("10.0.0.0/8", "::1")
            .proxyHeader(ProxyHeader.xForwardedFor()).build();
    private final ClientIpResolver behindForwardedProxy = ClientIpResolver.builder().trustedProxies("10.0.0.0/8", "::1")
            .proxyHeader(ProxyHeader.forwarded()).build();
    private final ClientIpResolver behindRealIpProxy = ClientIpResolver.builder().trustedProxies("10.0.0.0/8")
            .proxyHeader(ProxyHeader.singleValue("X-Real-IP")).build();

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
    void aForwardedHeaderIsIgnoredWhenTheProxiesWriteXForwardedFor() {
        // nginx appends to X-Forwarded-For and passes the client's own Forwarded header through
        for (int i = 1; i <= 20; i++) {
            String key = behindProxy.resolve(FakeRequest.from("10.0.0.2")
                    .header("Forwarded", "for=198.51.100." + i).header("X-Forwarded-For", "203.0.113.9"));

            assertThat(key).isEqualTo("ip:203.0.113.9");
        }
    }

    @Test
    void xForwardedForIsIgnoredWhenTheProxiesWriteForwarded() {
        String key = behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("X-Forwarded-For", "6.6.6.6").header("Forwarded", "for=203.0.113.9;proto=https"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void readsTheForwardedHeaderWithQuotedIpv6AndPortsFromTheRight() {
        String key = behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("Forwarded", "for=6.6.6.6, for=\"[2001:db8:cafe:1::17]:4711\";proto=https, for=10.0.0.9:80"));

        assertThat(key).isEqualTo("ip:2001:db8:cafe:1:0:0:0:0/64");
    }

    @Test
    void aQuotedCommaInAForwardedElementDoesNotSplitIt() {
        // the client wrote 'for="6.6.6.6, for=7.7.7.7"' hoping to be read as two hops; the proxy appended its address
        String key = behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("Forwarded", "for=\"6.6.6.6, for=7.7.7.7\", for=203.0.113.9"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void aQuoteTheClientLeavesOpenCannotSwallowTheAddressTheProxyAppended() {
        // the client sends 'X-Forwarded-For: "' (or 'Forwarded: for="x'); its proxy appends ', <client address>' to
        // that line. Were the open quote read as going on to the end, the proxy's entry would vanish into the
        // client's and the request would move from the client's key to the proxy's: a second budget
        assertThat(behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "\", 203.0.113.9")))
                .isEqualTo("ip:203.0.113.9");
        assertThat(behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "6.6.6.6\", 203.0.113.9, 10.0.0.3")))
                .isEqualTo("ip:203.0.113.9");
        assertThat(behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2").header("Forwarded", "for=\"x, for=203.0.113.9")))
                .isEqualTo("ip:203.0.113.9");
        assertThat(behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("Forwarded", "for=6.6.6.6;by=\"a, for=\"[2001:db8:cafe:1::17]:4711\";proto=https, for=10.0.0.9")))
                .isEqualTo("ip:2001:db8:cafe:1:0:0:0:0/64");
    }

    @Test
    void spellingsOfOneClientAddressShareOneKey() {
        for (String spelling : new String[] {"2001:db8:cafe:1::17", "2001:DB8:CAFE:1:0:0:0:17", "[2001:db8:cafe:1::17]:443",
                "2001:db8:cafe:1::18", "\"[2001:db8:cafe:1::17]\"", "fe80::1%eth0"}) {
            String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", spelling));
            assertThat(key).as(spelling).isIn("ip:2001:db8:cafe:1:0:0:0:0/64", "ip:fe80:0:0:0:0:0:0:0/64");
        }
        for (String spelling : new String[] {"198.51.100.7", "198.51.100.7:65535", "::ffff:198.51.100.7", "[::ffff:198.51.100.7]:80",
                " 198.51.100.7 "}) {
            assertThat(behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", spelling))).as(spelling)
                    .isEqualTo("ip:198.51.100.7");
        }
    }

    @Test
    void garbageAndHugeHeadersCountUnderTheProxyAndKeepKeysShort() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            many.append("10.").append(i % 250).append(".0.1, ");
        }
        many.append("not-an-ip");
        for (String garbage : new String[] {"", ",", "\"", "[", "[::1", "]", "1.2.3", "01.2.3.4", "256.1.1.1", "1.2.3.4.5",
                "::::", "g::1", "1.2.3.4:80:90", "%00", "\u0000", "1.2.3.4\r\nX-Evil: 1", many.toString(), "x".repeat(100_000)}) {
            String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", garbage));
            assertThat(key).as(garbage.length() > 40 ? garbage.substring(0, 40) : garbage).isEqualTo("ip:10.0.0.2");
        }
    }

    @Test
    void aForwardedElementWithoutAnAddressStopsAtTheProxyThatForwardedIt() {
        assertThat(behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2").header("Forwarded", "for=unknown, for=10.0.0.7")))
                .isEqualTo("ip:10.0.0.7");
        assertThat(behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2").header("Forwarded", "for=_hidden")))
                .isEqualTo("ip:10.0.0.2");
        assertThat(behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2").header("Forwarded", "proto=https")))
                .isEqualTo("ip:10.0.0.2");
    }

    @Test
    void aMalformedHopCountsTheRequestUnderTheProxyNotUnderMadeUpText() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "198.51.100.7, not-an-ip"));

        assertThat(key).isEqualTo("ip:10.0.0.2");
    }

    @Test
    void aMalformedHopBehindAnotherTrustedProxyIsCountedUnderThatProxy() {
        assertThat(behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "not-an-ip, 10.0.0.3")))
                .isEqualTo("ip:10.0.0.3");
        assertThat(behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "198.51.100.7,,10.0.0.3")))
                .isEqualTo("ip:10.0.0.3");
    }

    @Test
    void garbageLeftOfTheClientIsNeverReached() {
        String key = behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "not-an-ip,, 203.0.113.9"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void behindGoogleCloudsLoadBalancerItsOwnAddressIsTrustedToo() {
        // the load balancer appends "<client>, <forwarding rule address>" and connects from 35.191.0.0/16
        ClientIpResolver gcp = ClientIpResolver.builder().trustedProxies("35.191.0.0/16", "130.211.0.0/22", "34.120.1.2")
                .proxyHeader(ProxyHeader.xForwardedFor()).build();

        String key = gcp.resolve(FakeRequest.from("35.191.3.4").header("X-Forwarded-For", "6.6.6.6, 203.0.113.9, 34.120.1.2"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void aSingleValueHeaderNamesTheClientAndOtherHeadersAreIgnored() {
        String key = behindRealIpProxy.resolve(FakeRequest.from("10.0.0.2")
                .header("X-Real-IP", "203.0.113.9").header("X-Forwarded-For", "6.6.6.6").header("Forwarded", "for=7.7.7.7"));

        assertThat(key).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void aSingleValueHeaderSentTwiceOrHoldingAListCountsUnderTheProxy() {
        assertThat(behindRealIpProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Real-IP", "6.6.6.6").header("X-Real-IP", "203.0.113.9")))
                .isEqualTo("ip:10.0.0.2");
        assertThat(behindRealIpProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Real-IP", "6.6.6.6, 203.0.113.9")))
                .isEqualTo("ip:10.0.0.2");
    }

    @Test
    void aSingleValueHeaderFromAnUntrustedPeerIsIgnored() {
        assertThat(behindRealIpProxy.resolve(FakeRequest.from("203.0.113.9").header("X-Real-IP", "6.6.6.6"))).isEqualTo("ip:203.0.113.9");
    }

    @Test
    void withoutTrustedProxiesEveryHeaderIsIgnored() {
        ClientIpResolver direct = ClientIpResolver.builder().proxyHeader(ProxyHeader.xForwardedFor()).build();

        assertThat(direct.resolve(FakeRequest.from("127.0.0.1").header("X-Forwarded-For", "6.6.6.6"))).isEqualTo("ip:127.0.0.1");
        assertThat(KeyResolver.clientIp().resolve(FakeRequest.from("127.0.0.1").header("Forwarded", "for=6.6.6.6")
                .header("X-Forwarded-For", "6.6.6.6").header("X-Real-IP", "6.6.6.6"))).isEqualTo("ip:127.0.0.1");
    }

    @Test
    void trustedProxiesWithoutAProxyHeaderIsAConfigurationError() {
        assertThatThrownBy(() -> ClientIpResolver.builder().trustedProxies("10.0.0.0/8").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("proxyHeader");
    }

    @Test
    void rejectsASingleValueHeaderThatIsAList() {
        assertThatThrownBy(() -> ProxyHeader.singleValue("x-forwarded-for"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-forwarded-for");
        assertThatThrownBy(() -> ProxyHeader.singleValue(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("singleValue");
    }

    @Test
    void warnsWhenTrustedProxiesNeverSendTheChosenHeader() {
        // the proxies write X-Forwarded-For but the resolver was told Forwarded
        for (int i = 0; i < ClientIpResolver.SAMPLE; i++) {
            assertThat(behindForwardedProxy.configurationWarning()).isEmpty();
            behindForwardedProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "203.0.113.9"));
        }

        assertThat(behindForwardedProxy.configurationWarning()).hasValueSatisfying(w -> assertThat(w)
                .contains("None of the first", "10.0.0.0/8", "carried Forwarded (they carried X-Forwarded-For)"));
    }

    @Test
    void warnsWhenTheHeaderArrivesOnlyFromUntrustedPeers() {
        for (int i = 0; i < ClientIpResolver.SAMPLE; i++) {
            behindProxy.resolve(FakeRequest.from("172.16.0.5").header("X-Forwarded-For", "203.0.113." + (i + 1)));
        }

        assertThat(behindProxy.configurationWarning()).hasValueSatisfying(w -> assertThat(w).contains("add it to trustedProxies"));
    }

    @Test
    void aSoundConfigurationGetsNoWarning() {
        for (int i = 0; i < 2 * ClientIpResolver.SAMPLE; i++) {
            behindProxy.resolve(FakeRequest.from("10.0.0.2").header("X-Forwarded-For", "203.0.113." + (i + 1)));
            behindProxy.resolve(FakeRequest.from("10.0.0.2")); // the load balancer's own health check
        }

        assertThat(behindProxy.configurationWarning()).isEmpty();
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
