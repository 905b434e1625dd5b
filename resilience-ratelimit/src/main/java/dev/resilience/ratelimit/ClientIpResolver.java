package dev.resilience.ratelimit;

import dev.resilience.ratelimit.internal.IpAddresses;
import dev.resilience.ratelimit.internal.Keys;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the client IP of a request: {@code ip:192.0.2.7}, or for IPv6 the client's network
 * ({@code ip:2001:db8:0:1:0:0:0:0/64} with the default prefix of 64, since one subscriber usually
 * holds a whole /64 and could otherwise rotate addresses to escape its limit).
 *
 * <p>Proxy headers are honoured only when the connection comes from a configured
 * {@link Builder#trustedProxies(String...) trusted proxy}: then the standard {@code Forwarded} header
 * (or, when absent, {@code X-Forwarded-For}) is read from right to left, skipping trusted proxies, and
 * the first untrusted hop is the client; everything left of it was written by the client and is
 * ignored. A malformed hop met on the way stops the walk and the request is counted under the
 * connecting proxy's address (never under a value the client made up). Without trusted proxies the
 * headers are ignored and the socket address is the client.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClientIpResolver implements KeyResolver {

    private final List<Cidr> trusted;
    private final int ipv6Prefix;

    private ClientIpResolver(Builder builder) {
        this.trusted = List.copyOf(builder.trusted);
        this.ipv6Prefix = builder.ipv6Prefix;
    }

    /** A builder: no trusted proxy, IPv6 prefix 64. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String resolve(RateLimitRequest request) {
        InetAddress peer = IpAddresses.parse(request.remoteAddress());
        if (peer == null) {
            return "ip:" + Keys.bounded(String.valueOf(request.remoteAddress())); // e.g. a unix socket
        }
        if (!isTrusted(peer)) {
            return key(peer);
        }
        List<String> hops = hops(request);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = IpAddresses.parse(hops.get(i));
            if (hop == null) {
                return key(peer);
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return key(client);
    }

    private static List<String> hops(RateLimitRequest request) {
        List<String> forwarded = request.headers("Forwarded");
        List<String> hops = new ArrayList<>();
        if (!forwarded.isEmpty()) {
            for (String line : forwarded) {
                for (String element : line.split(",")) {
                    String hop = null;
                    for (String pair : element.split(";")) {
                        String trimmed = pair.trim();
                        if (trimmed.regionMatches(true, 0, "for=", 0, 4)) {
                            hop = trimmed.substring(4);
                        }
                    }
                    hops.add(hop == null ? "" : hop); // an element without for= is a hop we cannot place
                }
            }
            return hops;
        }
        for (String line : request.headers("X-Forwarded-For")) {
            hops.addAll(Arrays.asList(line.split(",")));
        }
        return hops;
    }

    private boolean isTrusted(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Cidr cidr : trusted) {
            if (cidr.contains(bytes)) {
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

    /** A network in CIDR notation. */
    private static final class Cidr {
        final byte[] network;
        final int bits;

        Cidr(byte[] network, int bits) {
            this.network = IpAddresses.prefix(network, bits);
            this.bits = bits;
        }

        boolean contains(byte[] address) {
            return address.length == network.length && Arrays.equals(IpAddresses.prefix(address, bits), network);
        }
    }

    /** Builds a {@link ClientIpResolver}. Not thread-safe. */
    public static final class Builder {
        private final List<Cidr> trusted = new ArrayList<>();
        private int ipv6Prefix = 64;

        private Builder() {
        }

        /**
         * Proxies whose {@code Forwarded}/{@code X-Forwarded-For} headers are believed: addresses or
         * CIDR ranges such as {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}.
         *
         * @throws IllegalArgumentException when one is not an IP address or range (names are not resolved)
         */
        public Builder trustedProxies(String... proxies) {
            for (String proxy : proxies) {
                trusted.add(parseCidr(proxy));
            }
            return this;
        }

        /**
         * The IPv6 prefix clients are grouped by (default 64; 128 counts each address on its own).
         *
         * @throws IllegalArgumentException unless between 32 and 128
         */
        public Builder ipv6Prefix(int bits) {
            if (bits < 32 || bits > 128) {
                throw new IllegalArgumentException("ipv6Prefix must be between 32 and 128: " + bits);
            }
            this.ipv6Prefix = bits;
            return this;
        }

        public ClientIpResolver build() {
            return new ClientIpResolver(this);
        }

        private static Cidr parseCidr(String text) {
            if (text == null) {
                throw new IllegalArgumentException("trusted proxy must not be null");
            }
            String[] parts = text.trim().split("/", 2);
            InetAddress address = parts[0].contains("[") || parts[0].isEmpty() ? null : IpAddresses.parse(parts[0]);
            if (address == null) {
                throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR range: " + text);
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1].toLowerCase(Locale.ROOT));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("trusted proxy prefix must be between 0 and " + max + ": " + text);
                }
            }
            return new Cidr(address.getAddress(), bits);
        }
    }
}
