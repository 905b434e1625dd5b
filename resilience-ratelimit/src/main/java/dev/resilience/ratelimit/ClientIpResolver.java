package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.Cidr;
import dev.resilience.ratelimit.internal.IpAddresses;
import dev.resilience.ratelimit.internal.Keys;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the client IP of a request: {@code ip:192.0.2.7}, or for IPv6 the client's network
 * ({@code ip:2001:db8:0:1:0:0:0:0/64} with the default prefix of 64, since one subscriber usually
 * holds a whole /64 and could otherwise rotate addresses to escape its limit).
 *
 * <p>By default no proxy is trusted and the socket address is the client: right for a server clients
 * reach directly, and safe everywhere (behind a proxy every client then shares the proxy's key, which
 * limits too much, never too little). Behind proxies, name them with
 * {@link Builder#trustedProxies(String...)} and name the one header they write with
 * {@link Builder#proxyHeader(ProxyHeader)}. That header alone is read, and only when the connection
 * comes from a trusted proxy: its hops are read from right to left, skipping trusted proxies, and the
 * first untrusted hop is the client; everything left of it was written by the client and is ignored.
 * Any other forwarding header ({@code Forwarded} when the proxies write {@code X-Forwarded-For}, and
 * so on) is ignored. A malformed hop met on the way ends the walk: the request is counted under the
 * last address a trusted proxy vouched for (never under text the client made up, and never dropped).
 *
 * <p>The first 50 requests are watched for signs of a wrong configuration: trusted
 * proxies whose requests never carry the header, or requests carrying the header from peers that are
 * not trusted (the proxy's address is missing from the list, so every client shares its key). What
 * was found is logged once at WARN and answered by {@link #configurationWarning()}.
 *
 * <p>Immutable configuration, thread-safe.
 */
public final class ClientIpResolver implements KeyResolver {

    /** How many requests are watched for a wrong configuration. */
    static final int SAMPLE = 50;
    private static final Logger log = LoggerFactory.getLogger(ClientIpResolver.class);
    private static final List<String> FORWARDING_HEADERS = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP");

    private final List<Cidr> trusted;
    private final @Nullable ProxyHeader header;
    private final int ipv6Prefix;
    private final AtomicInteger seen = new AtomicInteger();
    private final AtomicInteger fromTrusted = new AtomicInteger();
    private final AtomicInteger fromTrustedWithHeader = new AtomicInteger();
    private final AtomicInteger fromUntrustedWithHeader = new AtomicInteger();
    /** Other forwarding headers trusted proxies sent during the sample: a hint at the header they really write. */
    private final Set<String> otherHeadersFromTrusted = ConcurrentHashMap.newKeySet();
    private volatile @Nullable String warning;

    /** What {@link #config()} reports. */
    private final Config config;

    private ClientIpResolver(Builder builder) {
        this.trusted = List.copyOf(builder.trusted);
        this.header = builder.header;
        this.ipv6Prefix = builder.ipv6Prefix;
        this.config = new Config(trusted.stream().map(Cidr::toString).toList(), Optional.ofNullable(header), ipv6Prefix);
    }

    /** {@return a builder: no trusted proxy, IPv6 prefix 64} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String resolve(RateLimitRequest request) {
        InetAddress client = clientAddress(request);
        return client == null ? "ip:" + Keys.bounded(String.valueOf(request.remoteAddress())) : key(client); // null: a unix socket
    }

    /**
     * The client's address as described above (whole, not grouped by IPv6 prefix), or null when the
     * connection has no IP address (a unix socket).
     *
     * @param request the request to read
     * @return the client's address, or null
     */
    public @Nullable InetAddress clientAddress(RateLimitRequest request) {
        return walk(request, false);
    }

    /**
     * The client's address as {@link #clientAddress} finds it, or null when the walk ended on a malformed
     * hop: then the request is counted under a proxy's address, which must not let it pass an allow list
     * meant for clients (an allow list covering the proxies would admit it uncounted).
     */
    @Nullable InetAddress vouchedClientAddress(RateLimitRequest request) {
        return walk(request, true);
    }

    private @Nullable InetAddress walk(RateLimitRequest request, boolean nullWhenMalformed) {
        InetAddress peer = IpAddresses.parse(request.remoteAddress());
        ProxyHeader proxyHeader = header; // set whenever a proxy is trusted (build() checks)
        if (peer == null || trusted.isEmpty() || proxyHeader == null) {
            return peer;
        }
        boolean peerTrusted = isTrusted(peer);
        List<String> hops = proxyHeader.hops(request);
        if (seen.get() < SAMPLE && !nullWhenMalformed) { // the second look at a request is not another sample
            watch(request, proxyHeader, peerTrusted, hops == null || !hops.isEmpty());
        }
        if (!peerTrusted) {
            return peer;
        }
        if (hops == null) {
            return nullWhenMalformed ? null : peer;
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = IpAddresses.parse(hops.get(i));
            if (hop == null) {
                return nullWhenMalformed ? null : client; // client stays the last address a trusted proxy vouched for
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client;
    }

    /**
     * What looks wrong in this configuration after the first 50 requests (also logged once
     * at WARN), or empty: trusted proxies whose requests never carry the header, or requests with the
     * header from untrusted peers only.
     *
     * @return the warning, or empty
     */
    public Optional<String> configurationWarning() {
        return Optional.ofNullable(warning);
    }

    private void watch(RateLimitRequest request, ProxyHeader proxyHeader, boolean peerTrusted, boolean carriesHeader) {
        if (peerTrusted) {
            fromTrusted.incrementAndGet();
            if (carriesHeader) {
                fromTrustedWithHeader.incrementAndGet();
            }
            for (String other : FORWARDING_HEADERS) {
                if (!other.equalsIgnoreCase(proxyHeader.name()) && !request.headers(other).isEmpty()) {
                    otherHeadersFromTrusted.add(other);
                }
            }
        } else if (carriesHeader) {
            fromUntrustedWithHeader.incrementAndGet();
        }
        if (seen.incrementAndGet() != SAMPLE) {
            return;
        }
        if (fromTrusted.get() > 0 && fromTrustedWithHeader.get() == 0) {
            warning = "None of the first " + SAMPLE + " requests from trusted proxies " + trustedList() + " carried "
                    + header + (otherHeadersFromTrusted.isEmpty() ? "" : " (they carried " + String.join(", ",
                    new TreeSet<>(otherHeadersFromTrusted)) + ")") + ": check that the proxies write that header (and not "
                    + "another one), or clients are counted under the proxy's address";
        } else if (fromTrusted.get() == 0 && fromUntrustedWithHeader.get() > 0) {
            warning = fromUntrustedWithHeader.get() + " of the first " + SAMPLE + " requests carried " + header
                    + " but none came from trusted proxies " + trustedList() + ": if a proxy of yours connects from "
                    + "another address, add it to trustedProxies, or every client shares the proxy's key";
        }
        if (warning != null) {
            log.warn("Client IP configuration looks wrong: {}", warning);
        }
    }

    private String trustedList() {
        return trusted.stream().map(Cidr::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trusted) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private String key(InetAddress address) {
        if (address instanceof Inet6Address && ipv6Prefix < 128) {
            try {
                return "ip:" + InetAddress.getByAddress(IpAddresses.prefix(address.getAddress(), ipv6Prefix)).getHostAddress()
                        + "/" + ipv6Prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen: 16 bytes
            }
        }
        return "ip:" + address.getHostAddress();
    }

    /** {@return the effective settings, defaults included} */
    public Config config() {
        return config;
    }

    /**
     * The effective settings of a {@link ClientIpResolver}.
     *
     * @param trustedProxies the proxies' addresses and CIDR ranges whose header is believed (none by default)
     * @param proxyHeader the header they write; empty when no proxy is trusted
     * @param ipv6Prefix the prefix length IPv6 clients are grouped by (default 64)
     */
    public record Config(List<String> trustedProxies, Optional<ProxyHeader> proxyHeader, int ipv6Prefix) {
    }

    /** Builds a {@link ClientIpResolver}. Not thread-safe. */
    public static final class Builder {
        private final List<Cidr> trusted = new ArrayList<>();
        private @Nullable ProxyHeader header;
        private int ipv6Prefix = 64;

        private Builder() {
        }

        /**
         * Proxies whose {@link #proxyHeader(ProxyHeader) header} is believed: addresses or CIDR ranges
         * such as {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}. Requires a proxy header.
         *
         * @param proxies IPv4 or IPv6 addresses or CIDR ranges
         * @return this builder
         * @throws IllegalArgumentException when one is not an IP address or range (names are not resolved)
         */
        public Builder trustedProxies(String... proxies) {
            for (String proxy : proxies) {
                trusted.add(Cidr.parse("trusted proxy", proxy));
            }
            return this;
        }

        /**
         * The IPv6 prefix clients are grouped by (default 64; 128 counts each address on its own).
         *
         * @param bits 1 to 128; 128 keys each IPv6 address on its own
         * @return this builder
         * @throws IllegalArgumentException unless between 32 and 128
         */
        public Builder ipv6Prefix(int bits) {
            if (bits < 32 || bits > 128) {
                throw new IllegalArgumentException("ipv6Prefix must be between 32 and 128: " + bits);
            }
            this.ipv6Prefix = bits;
            return this;
        }

        /**
         * The one header the trusted proxies write the client's address into (no default: it depends on
         * your proxy, and guessing wrong lets clients choose their key). Other forwarding headers are ignored.
         *
         * @param header the header, such as {@link ProxyHeader#xForwardedFor()}
         * @return this builder
         */
        public Builder proxyHeader(ProxyHeader header) {
            this.header = Objects.requireNonNull(header, "proxyHeader");
            return this;
        }

        /**
         * Builds the resolver.
         *
         * @return an immutable, thread-safe resolver
         * @throws IllegalStateException when proxies are trusted but no {@link #proxyHeader(ProxyHeader)} is named
         */
        public ClientIpResolver build() {
            if (!trusted.isEmpty() && header == null) {
                throw new IllegalStateException("trustedProxies(...) needs proxyHeader(...): name the header your proxies "
                        + "write, ProxyHeader.xForwardedFor() for nginx's $proxy_add_x_forwarded_for and the cloud load "
                        + "balancers, ProxyHeader.forwarded() or ProxyHeader.singleValue(\"X-Real-IP\")");
            }
            return new ClientIpResolver(this);
        }
    }
}
