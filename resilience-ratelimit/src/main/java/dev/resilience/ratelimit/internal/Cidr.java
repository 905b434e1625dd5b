package dev.resilience.ratelimit.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/** An IP network in CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address. Immutable. */
public final class Cidr {

    private final byte[] network;
    private final int bits;

    private Cidr(byte[] network, int bits) {
        this.network = IpAddresses.prefix(network, bits);
        this.bits = bits;
    }

    /**
     * Parses an address or CIDR range; host names are not resolved.
     *
     * @throws IllegalArgumentException naming {@code parameter} when {@code text} is neither
     */
    public static Cidr parse(String parameter, String text) {
        if (text == null) {
            throw new IllegalArgumentException(parameter + " must not be null");
        }
        String[] parts = text.trim().split("/", 2);
        InetAddress address = parts[0].contains("[") || parts[0].isEmpty() ? null : IpAddresses.parse(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException(parameter + " must be an IP address or CIDR range: " + text);
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
                throw new IllegalArgumentException(parameter + " prefix must be between 0 and " + max + ": " + text);
            }
        }
        return new Cidr(address.getAddress(), bits);
    }

    /** True when {@code address} is in this network. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == network.length && Arrays.equals(IpAddresses.prefix(bytes, bits), network);
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
        }
    }
}
