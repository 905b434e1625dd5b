package dev.resilience.ratelimit.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses IP literals from socket addresses and proxy headers without ever resolving a host name
 * (a header must not be able to trigger DNS lookups). Stateless.
 */
public final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpAddresses() {
    }

    /**
     * The address in a header hop or socket address: {@code 192.0.2.1}, {@code 192.0.2.1:8080},
     * {@code 2001:db8::1}, {@code [2001:db8::1]:443}, optionally quoted; null when it is anything else
     * ({@code unknown}, an obfuscated identifier, garbage).
     */
    public static @Nullable InetAddress parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return null;
            }
            value = value.substring(1, end);
        } else if (value.indexOf(':') >= 0 && value.indexOf(':') == value.lastIndexOf(':')) {
            value = value.substring(0, value.indexOf(':')); // IPv4 with a port
        }
        int zone = value.indexOf('%');
        if (zone >= 0) {
            value = value.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(value).matches();
        if (!v4 && !(value.indexOf(':') >= 0 && IPV6_CHARS.matcher(value).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(value); // a literal by now: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The first {@code bits} bits of {@code address}, the rest zeroed. */
    public static byte[] prefix(byte[] address, int bits) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - 8 * i));
            masked[i] &= (byte) (0xFF << (8 - keep));
        }
        return masked;
    }
}
